package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Levels and classes in the order of a French school, whatever way the ENT spells them. */
class SchoolOrderTest {
    static final List<String> LEVELS_IN_ORDER = List.of("6e", "5e", "4e", "3e", "Seconde", "Première", "Terminale",
            "BTS SIO", "CAP Cuisine", "ULIS");
    static final List<String> CLASSES_IN_ORDER = List.of("6e A", "6e B", "601", "5EME 2", "4e1", "3 PREPA-METIERS",
            "3e B", "2nde 1", "2nde 2", "2nde 10", "2GT3", "1re G1", "1ERE STMG", "Première G2", "Tle G1", "TERMINALE STI2D",
            "TG3", "BTS 1", "CAP 2");

    @Test
    void levelsSortInSchoolOrderFromAnyStartingOrder() {
        List<String> shuffled = new ArrayList<>(LEVELS_IN_ORDER);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(SchoolOrder.LEVELS);
        assertThat(shuffled).containsExactlyElementsOf(LEVELS_IN_ORDER);
    }

    @Test
    void classesSortInSchoolOrderWithNumbersAsNumbers() {
        List<String> shuffled = new ArrayList<>(CLASSES_IN_ORDER);
        Collections.shuffle(shuffled, new Random(11));
        shuffled.sort(java.util.Comparator.comparingInt((String c) -> SchoolOrder.classRank(c, null)).thenComparing(SchoolOrder.LEVELS));
        List<Integer> ranks = shuffled.stream().map(c -> SchoolOrder.classRank(c, null)).toList();
        assertThat(ranks).isSorted();
        assertThat(shuffled.indexOf("2nde 2")).isLessThan(shuffled.indexOf("2nde 10"));
        assertThat(SchoolOrder.rank("SIXIEME")).isEqualTo(1);
        assertThat(SchoolOrder.rank("TROISIEME")).isEqualTo(4);
        assertThat(SchoolOrder.rank("2NDE GENERALE ET TECHNOLOGIQUE")).isEqualTo(5);
        assertThat(SchoolOrder.rank("1ERE GENERALE")).isEqualTo(6);
        assertThat(SchoolOrder.rank("TERMINALE GENERALE")).isEqualTo(7);
        assertThat(SchoolOrder.rank("Technologie")).isEqualTo(SchoolOrder.OTHER);
        assertThat(SchoolOrder.rank(null)).isEqualTo(SchoolOrder.OTHER);
        assertThat(SchoolOrder.classRank("BTS 1", "Terminale")).as("the class's level wins").isEqualTo(7);
    }
}
