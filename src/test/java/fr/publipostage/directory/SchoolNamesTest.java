package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A school's name with its article, and "du / de l’ / de la" built from it. */
class SchoolNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Lycée Montesquieu|le Lycée Montesquieu|du Lycée Montesquieu|au Lycée Montesquieu",
            "LYCEE PROFESSIONNEL LES ÉTEYS|le LYCEE PROFESSIONNEL LES ÉTEYS|du LYCEE PROFESSIONNEL LES ÉTEYS|au LYCEE PROFESSIONNEL LES ÉTEYS",
            "Collège Jeanne-d'Arc|le Collège Jeanne-d'Arc|du Collège Jeanne-d'Arc|au Collège Jeanne-d'Arc",
            "École élémentaire Jules-Ferry|l’École élémentaire Jules-Ferry|de l’École élémentaire Jules-Ferry|à l’École élémentaire Jules-Ferry",
            "Ecole Saint-Exupéry|l’Ecole Saint-Exupéry|de l’Ecole Saint-Exupéry|à l’Ecole Saint-Exupéry",
            "Cité scolaire Grand-Air|la Cité scolaire Grand-Air|de la Cité scolaire Grand-Air|à la Cité scolaire Grand-Air",
            "EREA Jean-Monnet|l’EREA Jean-Monnet|de l’EREA Jean-Monnet|à l’EREA Jean-Monnet",
            "LP Jean-Jaurès|le LP Jean-Jaurès|du LP Jean-Jaurès|au LP Jean-Jaurès",
            "Lycée polyvalent Gustave-Eiffel|le Lycée polyvalent Gustave-Eiffel|du Lycée polyvalent Gustave-Eiffel|au Lycée polyvalent Gustave-Eiffel",
            "Établissement régional d'enseignement adapté|l’Établissement régional d'enseignement adapté|de l’Établissement régional d'enseignement adapté|à l’Établissement régional d'enseignement adapté",
            "Maison familiale rurale du Médoc|la Maison familiale rurale du Médoc|de la Maison familiale rurale du Médoc|à la Maison familiale rurale du Médoc",
            "Institution Sainte-Marie|l’Institution Sainte-Marie|de l’Institution Sainte-Marie|à l’Institution Sainte-Marie",
            "Le Mirail|le Mirail|du Mirail|au Mirail",
            "Les Chartrons|les Chartrons|des Chartrons|aux Chartrons",
            "L'Oiseau-Lyre|l’Oiseau-Lyre|de l’Oiseau-Lyre|à l’Oiseau-Lyre",
            "Saint-Joseph|Saint-Joseph|de Saint-Joseph|à Saint-Joseph",
            "Arcachon international|Arcachon international|d’Arcachon international|à Arcachon international",
    })
    void articleAndContractions(String name, String withArticle, String of, String to) {
        assertThat(SchoolNames.withArticle(name)).isEqualTo(withArticle);
        assertThat(SchoolNames.of(withArticle)).isEqualTo(of);
        assertThat(SchoolNames.to(withArticle)).isEqualTo(to);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"la Cité scolaire Grand-Air|de la Cité scolaire Grand-Air",
            "  le  Lycée X |du  Lycée X", "l'École|de l’École"})
    void anAdminsOwnWordingIsContractedToo(String stored, String of) {
        assertThat(SchoolNames.of(stored)).isEqualTo(of);
    }
}
