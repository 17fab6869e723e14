package fr.publipostage.templates;

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
