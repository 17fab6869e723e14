package fr.publipostage.directory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The two demo schools, generated deterministically (fixed seed) as a native CSV and loaded through
 * the importer, so the demo also exercises the import path. Loaded only into an empty directory.
 */
public final class DemoDirectory {
    public static final String LYCEE_UAI = "0330001A";
    public static final String COLLEGE_UAI = "0330002B";
    /** The class of the demo class teacher (prof.0330001a). */
    public static final String DEMO_TUTOR_CLASS = "2nde 1";

    private static final String[] LAST_NAMES = {
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martínez",
        "Légaré", "Fontaine", "Chevalier", "Robin", "Gauthier", "Perrin", "Clément", "Morin", "Nicolas", "Henry",
        "Rousseau", "Mathieu", "Gaillard", "Barbier", "Arnaud", "Brun", "Blanc", "Guérin", "Boyer", "Lacroix",
        "N'Diaye", "D'Almeida", "Le Guérec", "Saint-Exupéry", "Ó Súilleabháin", "Nguyễn", "Kowalczyk", "Dvořák",
        "Öztürk", "Lemaître", "Pérez-Gómez", "Bézier", "Ménard", "Hébert", "Côté", "Béranger", "Lévêque",
        "Delacroix-Prévost", "de La Fontaine", "Øberg", "Đorđević", "Żuławski", "Çelik", "Ibáñez", "Mbappé",
        "Haddad", "Benali", "Traoré", "Šimić", "Lœuillet"
    };
    private static final String[] FIRST_NAMES = {
        "Léa", "Chloé", "Emma", "Inès", "Zoé", "Maëlle", "Anaïs", "Élodie", "Hélène", "Gaëlle", "Ophélie", "Ève",
        "Marie-Ève", "Noémie", "Clémence", "Aurélie", "Bérénice", "Cécile", "Françoise", "Joséphine", "Manon",
        "Camille", "Sarah", "Jade", "Louise", "Théo", "Noé", "Loïc", "Jérôme", "François", "Clément", "Raphaël",
        "Benoît", "Aurélien", "Jean-Baptiste", "Hugo", "Lucas", "Gabriel", "Maël", "Anatole", "Célestin",
        "Joël", "Gaël", "Héloïse", "Adèle", "Amélie", "Mathéo", "Timothée", "Rémi", "Valérie", "Stéphane",
        "Frédéric", "Sébastien", "Aïcha", "Chloë", "Zoë", "Anaëlle", "Éloïse", "Mélanie", "Dominique"
    };
    /** The ENT's class-teacher function, given to the first teachers of each demo school. */
    public static final String HEAD_TEACHER = "HEAD_TEACHER";
    private static final int HEAD_TEACHERS = 3;
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** Streets, towns and complements of the demo's postal addresses (Gironde, a few abroad and overseas). */
    private static final String[] STREETS = {"rue Sainte-Catherine", "cours de l'Intendance", "avenue Thiers",
        "rue du Palais-Gallien", "boulevard du Président-Wilson", "allée des Chênes", "impasse des Mimosas",
        "chemin de la Lande", "place Gambetta", "quai des Chartrons", "rue de l'Église", "route de Toulouse",
        "avenue de la Libération", "rue Émile-Zola", "cours Victor-Hugo", "rue des Écoles"};
    private static final String[][] TOWNS = {{"33000", "Bordeaux"}, {"33800", "Bordeaux"}, {"33400", "Talence"},
        {"33600", "Pessac"}, {"33700", "Mérignac"}, {"33140", "Villenave-d'Ornon"}, {"33170", "Gradignan"},
        {"33150", "Cenon"}, {"33310", "Lormont"}, {"33130", "Bègles"}, {"33520", "Bruges"}, {"33270", "Floirac"},
        {"33110", "Le Bouscat"}, {"33200", "Bordeaux"}, {"33610", "Canéjan"}};
    private static final String[] INSIDE = {"Appartement 12", "Appt 4, 2e étage", "Chez M. et Mme Lefèvre", "Escalier B"};
    private static final String[] BUILDINGS = {"Résidence les Pins", "Bâtiment C", "Résidence du Parc, entrée 2", "Tour Ausone"};

    private final SqlSessionFactory sessions;
    private final AccountImporter importer;
    private final AddressImporter addresses;

    public DemoDirectory(SqlSessionFactory sessions, AccountImporter importer, AddressImporter addresses) {
        this.sessions = sessions;
        this.importer = importer;
        this.addresses = addresses;
    }

    /** Loads the demo schools when the directory has no structure at all. Returns true if it did. */
    public boolean loadIfEmpty() {
        try (SqlSession session = sessions.openSession(true)) {
            if (!session.getMapper(DirectoryMapper.class).listStructures().isEmpty()) return false;
        }
        try {
            importer.importCsv(new ByteArrayInputStream(csv().getBytes(StandardCharsets.UTF_8)), null);
        } catch (ImportRejected e) {
            throw new IllegalStateException("demo data refused by the importer: " + e.problems(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper mapper = session.getMapper(DirectoryMapper.class);
            mapper.updateStructureDetails(LYCEE_UAI, "12 cours Victor-Hugo, 33000 Bordeaux", "fr", "https://ent.lycee-montesquieu.example.fr");
            mapper.updateStructureDetails(COLLEGE_UAI, "3 rue de l'Église, 33400 Talence", "fr", "https://ent.college-jeanne-darc.example.fr");
        }
        for (String uai : List.of(LYCEE_UAI, COLLEGE_UAI)) loadAddresses(uai);
        return true;
    }

    /**
     * Postal addresses for most demo parents (about one in ten has none, so that the window-envelope
     * print has accounts to refuse or hand over), loaded through the address importer.
     */
    private void loadAddresses(String uai) {
        List<AddressMapper.Keyed> parents;
        try (SqlSession session = sessions.openSession(true)) {
            long id = session.getMapper(DirectoryMapper.class).findStructureByUai(uai).id();
            parents = session.getMapper(AddressMapper.class).relatives(id);
        }
        try {
            addresses.importCsv(new ByteArrayInputStream(addressCsv(parents, new Random(uai.hashCode())).getBytes(StandardCharsets.UTF_8)), uai);
        } catch (ImportRejected e) {
            throw new IllegalStateException("demo addresses refused by the importer: " + e.problems(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String addressCsv(List<AddressMapper.Keyed> parents, Random random) {
        StringBuilder out = new StringBuilder("login;address_line1;address_line2;postcode;city;country\n");
        for (AddressMapper.Keyed p : parents) {
            double kind = random.nextDouble();
            if (kind < 0.1) continue;
            String street = (1 + random.nextInt(180)) + (random.nextDouble() < 0.08 ? " bis " : " ") + STREETS[random.nextInt(STREETS.length)];
            String second = "";
            String[] town = TOWNS[random.nextInt(TOWNS.length)];
            String postcode = town[0];
            String city = town[1];
            String country = "";
            if (kind < 0.2) second = INSIDE[random.nextInt(INSIDE.length)];
            else if (kind < 0.3) second = BUILDINGS[random.nextInt(BUILDINGS.length)];
            else if (kind < 0.32) second = "Lieu-dit les Granges";
            else if (kind < 0.33) {
                street = "12 rue Frébault";
                postcode = "97110";
                city = "Pointe-à-Pitre";
                country = "Guadeloupe";
            } else if (kind < 0.34) {
                street = "Rue Neuve 45";
                postcode = "1000";
                city = "Bruxelles";
                country = "Belgique";
            }
            out.append(p.key()).append(';').append(street).append(';').append(second).append(';').append(postcode)
                    .append(';').append(city).append(';').append(country).append('\n');
        }
        return out.toString();
    }

    /** The whole demo directory as one native-format CSV. */
    public String csv() {
        StringBuilder out = new StringBuilder(ImportFormat.NATIVE.header()).append('\n');
        new School(LYCEE_UAI, "Lycée Montesquieu", List.of("Seconde", "Première", "Terminale"),
                List.of("2nde", "1re", "Tle"), 8, 33, 120, 50, 10, new Random(20240901L)).write(out);
        new School(COLLEGE_UAI, "Collège Jeanne-d'Arc", List.of("6e", "5e", "4e", "3e"),
                List.of("6e", "5e", "4e", "3e"), 4, 28, 62, 30, 6, new Random(20240902L)).write(out);
        return out.toString();
    }

    private static final class School {
        private final String uai;
        private final String name;
        private final List<String> levels;
        private final List<String> classPrefixes;
        private final int classesPerLevel;
        private final int pupilsPerClass;
        private final int teachers;
        private final int staff;
        private final int guests;
        private final Random random;
        private final Set<String> logins = new HashSet<>();
        private final List<String> classNames = new ArrayList<>();

        School(String uai, String name, List<String> levels, List<String> classPrefixes, int classesPerLevel,
               int pupilsPerClass, int teachers, int staff, int guests, Random random) {
            this.uai = uai;
            this.name = name;
            this.levels = levels;
            this.classPrefixes = classPrefixes;
            this.classesPerLevel = classesPerLevel;
            this.pupilsPerClass = pupilsPerClass;
            this.teachers = teachers;
            this.staff = staff;
            this.guests = guests;
            this.random = random;
        }

        void write(StringBuilder out) {
            List<String[]> families = new ArrayList<>();  // [parent login, child login…]
            for (int l = 0; l < levels.size(); l++) {
                // Newer levels were created more recently: the first level this school year.
                int schoolYear = 2026 - l;
                for (int c = 1; c <= classesPerLevel; c++) {
                    String className = classPrefixes.get(l) + " " + c;
                    classNames.add(className);
                    for (int p = 0; p < pupilsPerClass + random.nextInt(3) - 1; p++) {
                        String last = pick(LAST_NAMES);
                        String first = pick(FIRST_NAMES);
                        String login = login(first, last);
                        row(out, "Student", last, first, login, levels.get(l), className, "", "",
                                created(schoolYear), random.nextDouble() < 0.5);
                        families.add(new String[] {last, login});
                    }
                }
            }
            // Parents: most pupils have one parent account, a few two; siblings share a parent.
            for (int i = 0; i < families.size(); i++) {
                String[] family = families.get(i);
                List<String> children = new ArrayList<>(List.of(family[1]));
                if (i + 1 < families.size() && random.nextDouble() < 0.08) children.add(families.get(++i)[1]);
                int parents = random.nextDouble() < 0.2 ? 0 : (random.nextDouble() < 0.12 ? 2 : 1);
                for (int p = 0; p < parents; p++) {
                    String first = pick(FIRST_NAMES);
                    String last = random.nextDouble() < 0.85 ? family[0] : pick(LAST_NAMES);
                    row(out, "Relative", last, first, login(first, last), "", "", String.join("|", children), "",
                            created(2024 + random.nextInt(3)), random.nextDouble() < 0.8);
                }
            }
            for (int t = 0; t < teachers; t++) {
                String first = pick(FIRST_NAMES);
                String last = pick(LAST_NAMES);
                List<String> taught = new ArrayList<>();
                int n = 2 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    String cls = classNames.get(random.nextInt(classNames.size()));
                    if (!taught.contains(cls)) taught.add(cls);
                }
                // The first teachers are form tutors (HEAD_TEACHER, the ENT's "professeur principal"): a
                // single sign-on makes them class teachers of their classes.
                row(out, "Teacher", last, first, login(first, last), "", String.join("|", taught), "",
                        t < HEAD_TEACHERS ? HEAD_TEACHER : "",
                        created(2024 + random.nextInt(3)), random.nextDouble() < 0.85);
            }
            for (int s = 0; s < staff; s++) {
                String first = pick(FIRST_NAMES);
                String last = pick(LAST_NAMES);
                String functions = s < 2 ? Account.ADMIN_LOCAL : "";
                row(out, "Personnel", last, first, login(first, last), "", "", "", functions,
                        created(2024 + random.nextInt(3)), random.nextDouble() < 0.8);
            }
            for (int g = 0; g < guests; g++) {
                String first = pick(FIRST_NAMES);
                String last = pick(LAST_NAMES);
                row(out, "Guest", last, first, login(first, last), "", "", "", "",
                        created(2025 + random.nextInt(2)), random.nextDouble() < 0.6);
            }
            // The platform's super-admin account is attached to every school; local admins must never see it.
            row(out, "Personnel", "Administrateur", "Plateforme", "super.admin." + uai.toLowerCase(Locale.ROOT), "", "", "",
                    Account.SUPER_ADMIN, LocalDate.of(2024, 8, 20), true);
        }

        private void row(StringBuilder out, String profile, String last, String first, String login, String level,
                         String classes, String relatives, String functions, LocalDate created, boolean withEmail) {
            boolean pending = random.nextDouble() < 0.6;
            String code = pending ? code() : "";
            String email = withEmail ? ascii(first) + "." + ascii(last) + random.nextInt(100) + "@exemple.fr" : "";
            String alias = random.nextDouble() < 0.03 ? ascii(first).charAt(0) + ascii(last) : "";
            String language = random.nextDouble() < 0.04 ? "en" : "";
            String[] cells = {uai, name, profile, last, first, login, alias, code, email, level, classes, relatives,
                functions, created.toString(), language};
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) out.append(';');
                out.append('"').append(cells[i].replace("\"", "\"\"")).append('"');
            }
            out.append('\n');
        }

        private LocalDate created(int schoolYear) {
            return LocalDate.of(schoolYear, 8, 25).plusDays(random.nextInt(60));
        }

        private String code() {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < 8; i++) code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
            return code.toString();
        }

        private String login(String first, String last) {
            String base = ascii(first) + "." + ascii(last);
            String login = base;
            for (int n = 1; !logins.add(login); n++) login = base + n;
            return login;
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }

    /** "Marie-Ève N'Diaye" → "marieeve", "ndiaye": logins are plain lower-case ASCII. */
    static String ascii(String s) {
        String noAccents = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("Ø", "O").replace("ø", "o").replace("Đ", "D").replace("đ", "d").replace("Œ", "Oe").replace("œ", "oe")
                .replace("Ł", "L").replace("ł", "l");
        return noAccents.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
