package dev.trailtrim.catalog;

import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Translation;
import java.util.List;

/** PLACEHOLDER until the translation rules land: eventName as the action, resources[] or '*'. */
public final class EventTranslator {

  private final IamCatalog catalog;

  private EventTranslator(IamCatalog catalog) {
    this.catalog = catalog;
  }

  public static EventTranslator create(IamCatalog catalog) {
    return new EventTranslator(catalog);
  }

  public Translation translate(CloudTrailEvent event) {
    String prefix = event.eventSource().replace(".amazonaws.com", "");
    return catalog.action(new IamAction(prefix, event.eventName()))
        .map(info -> Translation.mapped("placeholder", List.of(new ActionOnResource(info.action(),
            event.resources().isEmpty() || event.resources().get(0).arn() == null ? "*"
                : event.resources().get(0).arn()))))
        .orElse(Translation.unmapped("placeholder"));
  }
}
