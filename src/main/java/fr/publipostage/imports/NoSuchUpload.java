package fr.publipostage.imports;

/** The upload to apply is not there: applied already, discarded, expired, or another admin's. */
public final class NoSuchUpload extends Exception {
    public NoSuchUpload(String id) {
        super("no upload " + id, null, false, false);
    }
}
