package dev.trailtrim.catalog;

/** A resource type an action applies to; {@code required} as marked in AWS's reference. */
public record ActionResourceType(String name, boolean required) {}
