package fr.publipostage.directory;

/** A school. The UAI is the national code (7 digits and a letter). */
public record Structure(long id, String uai, String name, String address, String defaultLanguage,
                        String logoUrl, String entUrl) {
}
