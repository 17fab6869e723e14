package fr.publipostage.customisation;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.PostalAddress;
import fr.publipostage.directory.Profile;
import java.time.LocalDate;
import java.util.List;

/**
 * The synthetic person a template must still fit one page for: the longest names, the rarest accented
 * capitals of French (Œ, Æ, Ÿ, Ç…), a parent with many children and many long classes, the longest
 * login, code and address the ENT produces, and the fullest postal address the rules allow: still to
 * activate, six lines in France (four delivery lines and the last line of 38 characters each, with Œ
 * and Ç); activated, seven lines abroad (the country last). Its id is negative: it is never a real account.
 */
public final class WorstCase {
    /** Six lines in France once the recipient's line is added; every line at the 38-character limit. */
    public static final PostalAddress FRANCE = new PostalAddress("Appartement 1204, 12e étage, escal. ÇŒ",
            "Résidence Les Œillets, bâtiment Ç-Œ 12", "123 bis boulevard de l'Œuvre-Ça-Va-Là",
            "Lieu-dit les Œillets-de-Çà-et-Là-Haut", "33000", "Saint-Étienne-de-Çà-et-Lœuilles", null);
    /** Seven lines abroad: four delivery lines, the city, the country. */
    public static final PostalAddress ABROAD = new PostalAddress("Chez Mme Œllerich-Çelik, appt 9876 BCD",
            "Bâtiment Œ, résidence Çà-et-Là, tour 3", "9876 avenue du Maréchal-Œuvré-Ça-Çaaa",
            "BP 1234 Œillets-de-Çà-et-Là-Dessous 9", null, "Kinshasa-Gombe-Œcuménique-Ça-et-Là-BZ",
            "République démocratique du Congo");

    private WorstCase() {
    }

    public static Account of(long structureId, boolean activated, String language) {
        return new Account(-1, structureId, Profile.Relative,
                "de La Rochefoucauld-Œttingen-Lévêque-Ÿpreville",
                "Lætitia-Anne-Sophie-Éléonore-Clémence",
                "laetitia-anne-sophie.delarochefoucauld-oettingen",
                null,
                activated ? null : "MWQMWQMW",
                activated,
                "laetitia-anne-sophie.de-la-rochefoucauld-oettingen@exemple-academie-bordeaux.fr",
                "TERMINALE GÉNÉRALE ET TECHNOLOGIQUE",
                List.of("TERMINALE-SPÉ-MATHÉMATIQUES-PHYSIQUE-CHIMIE", "1ÈRE-ÉQUIPE-ŒNOLOGIE-ÂGÉS-12",
                        "SECONDE-GÉNÉRALE-ÇÀÈÙ-ÎLE-DE-FRANCE", "SECTION-EUROPÉENNE-ANGLAIS-BILANGUE",
                        "OPTION-LATIN-GREC-ANCIEN-ŸÆ"),
                List.of(),
                List.of("Éloïse-Maëlys de La Rochefoucauld-Œttingen", "Zoé-Anaïs de La Rochefoucauld-Œttingen",
                        "Noël-Gaëtan de La Rochefoucauld-Œttingen", "Ægidius-Jérôme de La Rochefoucauld-Œttingen"),
                false, LocalDate.of(2026, 9, 1), language).withPostalAddress(activated ? ABROAD : FRANCE);
    }
}
