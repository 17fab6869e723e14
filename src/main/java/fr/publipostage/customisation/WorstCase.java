package fr.publipostage.customisation;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import java.time.LocalDate;
import java.util.List;

/**
 * The synthetic person a template must still fit one page for: the longest names, the rarest accented
 * capitals of French (Œ, Æ, Ÿ, Ç…), a parent with many children and many long classes, the longest
 * login, code and address the ENT produces. Its id is negative: it is never a real account.
 */
public final class WorstCase {
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
                false, LocalDate.of(2026, 9, 1), language);
    }
}
