package fr.publipostage.templates;

import fr.publipostage.directory.SchoolNames;
import fr.publipostage.directory.Structure;

/** {@code $structure}: the school as a letter shows it. Missing text is the empty string. */
public final class StructureView implements TemplateView {
    private final Structure structure;

    public StructureView(Structure structure) {
        this.structure = structure;
    }

    public String getName() {
        return structure.name();
    }

    /** The name with its French article: "le Lycée Montesquieu", "l’École …", "la Cité scolaire …". */
    public String getNameWithArticle() {
        return structure.withArticle();
    }

    /** "du Lycée Montesquieu", "de l’École …", "de la Cité scolaire …" (French texts: "le secrétariat {1}"). */
    public String getOfName() {
        return SchoolNames.of(structure.withArticle());
    }

    /** "au Lycée Montesquieu", "à l’École …", "à la Cité scolaire …". */
    public String getToName() {
        return SchoolNames.to(structure.withArticle());
    }

    public String getUai() {
        return structure.uai();
    }

    public String getAddress() {
        return structure.address() == null ? "" : structure.address();
    }

    public String getLogoUrl() {
        return structure.logoUrl() == null ? "" : structure.logoUrl();
    }

    @Override
    public String toString() {
        return getName();
    }
}
