package fr.publipostage.directory;

import java.util.List;

/** What an accepted import did. */
public record ImportReport(String format, int lines, int created, int updated, List<String> structures) {
}
