package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NF Z 10-011 as La Poste applies it: line order, case, the last line, the 38 characters, France and abroad. */
class PostalRulesTest {

    private static List<String> keys(PostalAddress a) {
        return PostalRules.check(a).stream().map(p -> p.field() + ":" + p.key()).toList();
    }

    @Test
    void theLastLineIsPostcodeAndCityInCapitalsWithoutAccentsOrPunctuation() {
        PostalRules.Printed p = PostalRules.print(PostalAddress.of("12, rue de l'Église", null, "42 000", "Saint-Étienne", "France"));
        assertThat(p.lines()).containsExactly("12 RUE DE L EGLISE", "42000 SAINT ETIENNE");
        assertThat(p.abroad()).isFalse();
        assertThat(PostalRules.print(PostalAddress.of("1 place Œ", null, "94240", "L'Haÿ-les-Roses", null)).localityLine())
                .isEqualTo("94240 L HAY LES ROSES");
    }

    @Test
    void deliveryLinesTakeTheirNormPlaceWhateverTheColumn() {
        // BP and lieu-dit after the street (line 5); apartment (line 2) and building (line 3) before it, as written.
        PostalRules.Printed p = PostalRules.print(new PostalAddress("BP 45", "Bât. B, entrée 2", "3 bis avenue des Fleurs",
                "Appt 12, 3e étage", "33 000", "Bordeaux", null));
        assertThat(p.deliveryLines()).containsExactly("Appt 12, 3e étage", "Bât. B, entrée 2", "3 BIS AVENUE DES FLEURS", "BP 45");
        PostalRules.Printed rural = PostalRules.print(PostalAddress.of("Lieu-dit les Granges", "Chez Mme Dupont", "24200", "Sarlat-la-Canéda", null));
        assertThat(rural.lines()).containsExactly("Chez Mme Dupont", "LIEU DIT LES GRANGES", "24200 SARLAT LA CANEDA");
        // An unrecognised line after the street is a place (line 5), before it a building (line 3).
        assertThat(PostalRules.print(PostalAddress.of("12 rue Haute", "Les Trois Chênes", "33000", "Bordeaux", null)).deliveryLines())
                .containsExactly("12 RUE HAUTE", "LES TROIS CHENES");
        assertThat(PostalRules.print(PostalAddress.of("Les Trois Chênes", "12 rue Haute", "33000", "Bordeaux", null)).deliveryLines())
                .containsExactly("Les Trois Chênes", "12 RUE HAUTE");
        assertThat(PostalRules.classify("TSA 70011")).isEqualTo(PostalRules.Kind.SERVICE);
        assertThat(PostalRules.classify("CS 30001")).isEqualTo(PostalRules.Kind.SERVICE);
        assertThat(PostalRules.classify("Résidence du Parc")).isEqualTo(PostalRules.Kind.BUILDING);
        assertThat(PostalRules.classify("c/o M. Martin")).isEqualTo(PostalRules.Kind.INSIDE);
        assertThat(PostalRules.classify("Boulevard du Président-Wilson")).isEqualTo(PostalRules.Kind.STREET);
    }

    @Test
    void cedexAndOverseasAreFrance() {
        assertThat(PostalRules.print(PostalAddress.of("Rectorat", "BP 935", "33060", "Bordeaux Cedex", null)).lines())
                .containsExactly("RECTORAT", "BP 935", "33060 BORDEAUX CEDEX");
        assertThat(PostalRules.print(PostalAddress.of("5 rue Nozières", null, "97110", "Pointe-à-Pitre", "Guadeloupe")).lines())
                .containsExactly("5 RUE NOZIERES", "97110 POINTE A PITRE");
        assertThat(PostalRules.print(PostalAddress.of("1 rue Lagarde", null, "98800", "Nouméa", "Nouvelle-Calédonie")).countryLine()).isNull();
        assertThat(PostalRules.print(PostalAddress.of("2 rue X", null, "97600", "Mamoudzou", null)).abroad()).isFalse();
        assertThat(keys(PostalAddress.of("5 rue X", null, "33000", "Bordeaux", "Martinique"))).containsExactly("postcode:address.postcodeOverseas");
        assertThat(PostalRules.print(PostalAddress.of("11 bd Albert-Ier", null, "98000", "Monaco", "Monaco")).countryLine()).isNull();
    }

    @Test
    void aCedexWrittenOnADeliveryLineEndsThePostcodeAndCityLineAsTheNormWants() {
        assertThat(PostalRules.print(PostalAddress.of("Rectorat", "CEDEX 9", "33076", "Bordeaux", null)).lines())
                .containsExactly("RECTORAT", "33076 BORDEAUX CEDEX 9");
        assertThat(PostalRules.print(PostalAddress.of("CS 81499", "Cedex", "33060", "Bordeaux", null)).lines())
                .containsExactly("CS 81499", "33060 BORDEAUX CEDEX");
        assertThat(PostalRules.print(PostalAddress.of("BP 935", "cedex 09", "33060", "Bordeaux Cedex 9", null)).lines())
                .containsExactly("BP 935", "33060 BORDEAUX CEDEX 9");
        // Too long once joined: told on the city, never cut.
        assertThat(keys(PostalAddress.of("BP 1", "CEDEX 12", "33000", "Saint-Médard-en-Jalles-Les-Pins", null)))
                .containsExactly("city:address.lineTooLong");
    }

    @Test
    void franceNeedsAFiveDigitPostcodeOfARealArea() {
        assertThat(keys(PostalAddress.of("1 rue X", null, "1000", "Bourg-en-Bresse", null))).containsExactly("postcode:address.postcodeLostZero");
        assertThat(PostalRules.check(PostalAddress.of("1 rue X", null, "1000", "Bourg", null)).get(0).args()).containsExactly("1000", "01000");
        assertThat(keys(PostalAddress.of("1 rue X", null, "330000", "Bordeaux", null))).containsExactly("postcode:address.postcodeFrance");
        assertThat(keys(PostalAddress.of("1 rue X", null, "33A00", "Bordeaux", null))).containsExactly("postcode:address.postcodeFrance");
        assertThat(keys(PostalAddress.of("1 rue X", null, "96000", "Nulle-Part", null))).containsExactly("postcode:address.postcodeArea");
        assertThat(keys(PostalAddress.of("1 rue X", null, "00100", "Nulle-Part", "FR"))).containsExactly("postcode:address.postcodeArea");
        assertThat(keys(PostalAddress.of("1 rue X", null, null, "Bordeaux", null))).containsExactly("postcode:address.postcodeMissing");
        assertThat(keys(PostalAddress.of("1 rue X", null, "33000", null, null))).containsExactly("city:address.cityMissing");
        assertThat(keys(PostalAddress.of("1 rue X", null, "20000", "Ajaccio", null))).isEmpty();
        assertThat(keys(PostalAddress.of("1 rue X", null, "33000", "Bordeaux", "FRANCE"))).isEmpty();
        assertThat(keys(new PostalAddress(null, null, null, null, null, null, null))).isEmpty();
    }

    @Test
    void thirtyEightCharactersAtMostOnceNormalisedNeverTruncated() {
        String street38 = "12 AVENUE DU MARECHAL DE LATTRE TASSIG";
        assertThat(street38).hasSize(38);
        assertThat(keys(PostalAddress.of(street38, null, "33000", "Bordeaux", null))).isEmpty();
        assertThat(keys(PostalAddress.of(street38 + "N", null, "33000", "Bordeaux", null)))
                .containsExactly("address_line1:address.lineTooLong");
        // Œ is written OE on line 4: 38 characters typed, 39 printed.
        String withLigature = "12 rue de l'Œuvre de la Sainte-Enfance";
        assertThat(withLigature).hasSize(38);
        List<PostalRules.Problem> problems = PostalRules.check(PostalAddress.of(null, withLigature, "33000", "Bordeaux", null));
        assertThat(problems).extracting(PostalRules.Problem::field).containsExactly("address_line2");
        assertThat(problems.get(0).args()).containsExactly("39", "12 RUE DE L OEUVRE DE LA SAINTE ENFANCE", "38");
        // The last line counts the postcode, the space and the city.
        assertThat(keys(PostalAddress.of("1 rue X", null, "33000", "A".repeat(32), null))).isEmpty();
        assertThat(keys(PostalAddress.of("1 rue X", null, "33000", "A".repeat(33), null))).containsExactly("city:address.lineTooLong");
        assertThatThrownBy(() -> PostalRules.print(PostalAddress.of(street38 + "N", null, "33000", "Bordeaux", null)))
                .isInstanceOf(IllegalArgumentException.class);
        // Extra spaces are not characters of the address.
        assertThat(PostalRules.print(PostalAddress.of("  12   rue   du   Port ", null, "33000", "Bordeaux", null)).deliveryLines())
                .containsExactly("12 RUE DU PORT");
    }

    @Test
    void abroadTheCountryIsTheLastLineInCapitalsInFrench() {
        PostalRules.Printed berlin = PostalRules.print(PostalAddress.of("Unter den Linden 5", null, "10117", "Berlin", "Deutschland"));
        assertThat(berlin.lines()).containsExactly("UNTER DEN LINDEN 5", "10117 BERLIN", "ALLEMAGNE");
        assertThat(berlin.recipientLinesAllowed()).isEqualTo(4);
        assertThat(PostalRules.print(PostalAddress.of("10 Downing Street", null, "SW1A 2AA", "London", "GB")).lines())
                .containsExactly("10 DOWNING STREET", "LONDON SW1A 2AA", "ROYAUME UNI");
        assertThat(PostalRules.print(PostalAddress.of("ul. Marszałkowska 1", null, "00-950", "Warszawa", "Pologne")).localityLine())
                .isEqualTo("00-950 WARSZAWA");
        assertThat(PostalRules.print(PostalAddress.of("Rua Augusta 2", null, null, "Lisboa", "Portugal")).lines())
                .containsExactly("RUA AUGUSTA 2", "LISBOA", "PORTUGAL");
        assertThat(PostalRules.print(PostalAddress.of("Av. Mohammed V", null, "10000", "Rabat", "Royaume du Maroc")).countryLine())
                .isEqualTo("ROYAUME DU MAROC");
        assertThat(keys(PostalAddress.of("Main St 1", null, "12345", "Springfield", "XZ"))).containsExactly("country:address.countryCode");
        assertThat(PostalRules.domestic("France métropolitaine")).isTrue();
        assertThat(PostalRules.domestic("Belgique")).isFalse();
    }

    @Test
    void controlCharactersAndEmptyLinesAreRefused() {
        assertThat(keys(PostalAddress.of("1 rue\u0007 X", null, "33000", "Bordeaux", null))).containsExactly("address_line1:address.control");
        assertThat(keys(PostalAddress.of("12 rue X", "---", "33000", "Bordeaux", null))).containsExactly("address_line2:address.lineEmpty");
    }
}
