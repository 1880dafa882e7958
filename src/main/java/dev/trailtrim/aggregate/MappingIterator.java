package dev.trailtrim.aggregate;

import java.util.Iterator;
import java.util.function.Function;

/** An iterator that maps each element as it is pulled, so a partition is never held whole. */
final class MappingIterator<A, B> implements Iterator<B> {

  private final Iterator<A> source;
  private final Function<A, B> mapping;

  private MappingIterator(Iterator<A> source, Function<A, B> mapping) {
    this.source = source;
    this.mapping = mapping;
  }

  static <A, B> Iterator<B> of(Iterator<A> source, Function<A, B> mapping) {
    return new MappingIterator<>(source, mapping);
  }

  @Override
  public boolean hasNext() {
    return source.hasNext();
  }

  @Override
  public B next() {
    return mapping.apply(source.next());
  }
}
