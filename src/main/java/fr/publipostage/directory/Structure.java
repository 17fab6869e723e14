package fr.publipostage.directory;

/**
 * A school. The UAI is the national code (7 digits and a letter). {@code nameWithArticle} is its name with
 * its French article as stored ("le Lycée Montesquieu"), null when never derived nor corrected: use
 * {@link #withArticle()}.
 */
public record Structure(long id, String uai, String name, String address, String defaultLanguage,
                        String logoUrl, String entUrl, String nameWithArticle) {
    /** The one MyBatis maps rows to (the record has two constructors). */
    @org.apache.ibatis.annotations.AutomapConstructor
    public Structure {
    }

    public Structure(long id, String uai, String name, String address, String defaultLanguage, String logoUrl,
                     String entUrl) {
        this(id, uai, name, address, defaultLanguage, logoUrl, entUrl, null);
    }

    /** The name with its article: the stored one, else derived from the name. */
    public String withArticle() {
        return nameWithArticle == null || nameWithArticle.isBlank() ? SchoolNames.withArticle(name) : nameWithArticle;
    }
}
