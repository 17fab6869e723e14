package fr.publipostage.directory;

/** A class (division) of a school, with its level (Seconde, 6e…). */
public record SchoolClass(long id, long structureId, String name, String level) {
}
