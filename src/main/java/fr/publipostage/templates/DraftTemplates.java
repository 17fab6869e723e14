package fr.publipostage.templates;

import java.util.Objects;
import java.util.Optional;

/**
 * A structure's template set with one file replaced by a text not saved yet: what the editor
 * previews and validates before anything is stored. Other structures and files resolve as usual.
 */
public final class DraftTemplates implements TemplateResolver {
    public static final String ORIGIN = "draft";

    private final TemplateResolver base;
    private final long structureId;
    private final String name;
    private final String text;

    public DraftTemplates(TemplateResolver base, long structureId, String name, String text) {
        this.base = base;
        this.structureId = structureId;
        this.name = name;
        this.text = Objects.requireNonNull(text);
    }

    @Override
    public Optional<TemplateSource> resolve(Long structure, String file) {
        if (structure != null && structure == structureId && name.equals(file)) {
            // A fixed version: each draft gets its own Velocity engine, which never sees another text.
            return Optional.of(new TemplateSource(file, ORIGIN, -1, text));
        }
        return base.resolve(structure, file);
    }

    @Override
    public Optional<TemplateSource> resolveTagged(Long structure, String file, String tag) {
        if (structure != null && structure == structureId && name.equals(file)) {
            return resolve(structure, file).filter(t -> t.tag().equals(tag));
        }
        return base.resolveTagged(structure, file, tag);
    }
}
