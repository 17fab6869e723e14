package fr.publipostage.templates;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds a template file by name for a structure. Every template lookup goes through here: the
 * renderer's top-level templates and every {@code #parse}/{@code #include} inside them, so a
 * per-structure override (structure override → built-in) is one implementation of this interface
 * wrapping {@link BuiltinTemplates}, with no change to callers.
 */
public interface TemplateResolver {
    /** Names are flat file names: lower-case letters, digits, '-', '_' and dots; no path, no "..". */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9]+)+");

    /**
     * @param structureId the structure whose override wins, or null for the built-in set only
     * @param name        a file name matching {@link #NAME}
     * @return the template, or empty when the name is not in the template set
     */
    Optional<TemplateSource> resolve(Long structureId, String name);

    /**
     * The text whose {@link TemplateSource#tag()} is {@code tag}: what a resource name says, not what is
     * in force now (a save may land between naming a template and loading it). Empty when this
     * resolver cannot give that version. Resolvers whose texts never change need not override this.
     */
    default Optional<TemplateSource> resolveTagged(Long structureId, String name, String tag) {
        return resolve(structureId, name).filter(t -> t.tag().equals(tag));
    }

    static boolean isValidName(String name) {
        return name != null && name.length() <= 80 && NAME.matcher(name).matches();
    }
}
