package fr.publipostage.templates;

import java.util.Map;
import java.util.Optional;

/**
 * A structure's template set as it was when something recorded its versions (a campaign, at start):
 * each recorded file resolves to exactly the recorded version ({@code builtin:0:…} the built-in file,
 * {@code structure:42:7:…} override version 7, {@code missing} none), so an edit saved while a campaign
 * runs changes neither what later recipients get nor the record. A school's texts file that was not
 * recorded did not exist then: it stays absent. Other files and structures resolve as usual.
 */
public final class PinnedTemplates implements TemplateResolver {
    private final TemplateResolver base;
    private final long structureId;
    private final Map<String, String> versions;

    /** @param versions file name → {@code origin:version:hash}, as {@code MailComposer.templateVersions} records them */
    public PinnedTemplates(TemplateResolver base, long structureId, Map<String, String> versions) {
        this.base = base;
        this.structureId = structureId;
        this.versions = Map.copyOf(versions);
    }

    @Override
    public Optional<TemplateSource> resolve(Long structure, String name) {
        if (structure == null || structure != structureId) return base.resolve(structure, name);
        String recorded = versions.get(name);
        if (recorded == null) {
            boolean texts = Messages.LANGUAGES.stream().anyMatch(l -> MessageOverrides.file(l).equals(name));
            return texts ? Optional.empty() : base.resolve(structure, name);
        }
        String tag = tagOf(recorded);
        if (tag == null) return Optional.empty();
        // The recorded version is read as such; if it cannot be (a built-in file changed by an upgrade),
        // the file in force is used rather than failing every remaining mail.
        return base.resolveTagged(structure, name, tag).or(() -> base.resolve(structure, name));
    }

    @Override
    public Optional<TemplateSource> resolveTagged(Long structure, String name, String tag) {
        if (structure == null || structure != structureId || !versions.containsKey(name)) {
            return base.resolveTagged(structure, name, tag);
        }
        return resolve(structure, name).filter(t -> t.tag().equals(tag));
    }

    /** {@code builtin:0:hash} → b; {@code structure:42:7:hash} → v7; {@code missing} → null. */
    static String tagOf(String recorded) {
        if (recorded.startsWith(BuiltinTemplates.ORIGIN + ":")) return "b";
        String[] parts = recorded.split(":");
        if (parts.length >= 4 && parts[0].equals("structure") && parts[2].matches("[0-9]{1,9}")) return "v" + parts[2];
        return null;
    }
}
