package fr.publipostage.imports;

/** A file uploaded on the web import page, kept until it is applied, discarded or an hour old. */
public record Upload(String id, long structureId, String adminLogin, String fileName, byte[] content, String sha256) {
}
