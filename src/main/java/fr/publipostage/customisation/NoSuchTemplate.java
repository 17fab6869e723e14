package fr.publipostage.customisation;

/** The name is not a file of the template set, or the version does not exist. */
public final class NoSuchTemplate extends RuntimeException {
    public NoSuchTemplate(String what) {
        super(what);
    }
}
