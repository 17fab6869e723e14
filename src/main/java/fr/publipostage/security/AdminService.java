package fr.publipostage.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/** Creates admins and checks their passwords (bcrypt). */
public final class AdminService {
    private static final Pattern LOGIN = Pattern.compile("^[a-zA-Z0-9._-]{3,64}$");
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int BCRYPT_COST = 10;
    /** bcrypt reads at most 72 bytes of a password (its library refuses longer ones rather than cut them). */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** Compared against when the login is unknown, so both cases take the same time. */
    private static final byte[] DUMMY_HASH = BCrypt.withDefaults().hash(BCRYPT_COST, new byte[16], "x".getBytes(StandardCharsets.UTF_8));

    private final SqlSessionFactory sessions;
    private final SecureRandom random;

    public AdminService(SqlSessionFactory sessions, SecureRandom random) {
        this.sessions = sessions;
        this.random = random;
    }

    /** A refused creation; the message is for the operator. */
    /** A refused creation: an i18n key ({@code cli.error.admin.*}) and its arguments; the message is the key. */
    public static final class AdminRefused extends RuntimeException {
        private final transient Object[] args;

        public AdminRefused(String key, Object... args) {
            super(key);
            this.args = args.clone();
        }

        public String key() {
            return getMessage();
        }

        public Object[] args() {
            return args.clone();
        }
    }

    public Admin create(String login, String password, boolean superAdmin, List<String> uais) {
        checkLoginAndPassword(login, password);
        if (superAdmin == !uais.isEmpty()) {
            throw new AdminRefused("cli.error.admin.superOrStructure");
        }
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            if (mapper.findByLogin(login) != null) throw new AdminRefused("cli.error.admin.exists", login);
            long id = mapper.insert(login, login, hash(password), superAdmin, false);
            for (String uai : uais) {
                mapper.linkStructure(id, uai);
            }
            if (mapper.structureUais(id).size() != uais.size()) {
                session.rollback(true);
                throw new AdminRefused("cli.error.admin.unknownStructure", String.join(", ", uais));
            }
            session.commit(true);
            return mapper.findByLogin(login);
        }
    }

    /**
     * Creates a class teacher: an admin of one structure limited to the pupils and parents of the
     * given classes (the form tutor who hands the letters out in class).
     */
    public Admin createClassTeacher(String login, String password, String uai, List<String> classNames) {
        checkLoginAndPassword(login, password);
        if (uai == null || classNames.isEmpty()) throw new AdminRefused("cli.error.admin.classTeacher");
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            if (mapper.findByLogin(login) != null) throw new AdminRefused("cli.error.admin.exists", login);
            long id = mapper.insert(login, login, hash(password), false, false);
            for (String className : classNames) {
                if (mapper.linkClass(id, uai, className) != 1) {
                    session.rollback(true);
                    throw new AdminRefused("cli.error.admin.unknownClass", className, uai);
                }
            }
            session.commit(true);
            return mapper.findByLogin(login);
        }
    }

    private static void checkLoginAndPassword(String login, String password) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw new AdminRefused("cli.error.admin.badLogin");
        }
        if (password == null || password.length() < 10) {
            throw new AdminRefused("cli.error.admin.shortPassword");
        }
    }

    public Optional<Admin> findById(long id) {
        try (SqlSession session = sessions.openSession(true)) {
            return Optional.ofNullable(session.getMapper(AdminMapper.class).findById(id));
        }
    }

    public Optional<Admin> findByLogin(String login) {
        try (SqlSession session = sessions.openSession(true)) {
            return Optional.ofNullable(session.getMapper(AdminMapper.class).findByLogin(login));
        }
    }

    /** The admin's preferred language for the web pages (fr or en). */
    public void setLanguage(Admin admin, String language) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(AdminMapper.class).updateLanguage(admin.id(), language);
        }
    }

    /** The admin when login and password match; empty otherwise (never says which was wrong). */
    public Optional<Admin> authenticate(String login, String password) {
        Admin admin;
        try (SqlSession session = sessions.openSession(true)) {
            admin = login == null ? null : session.getMapper(AdminMapper.class).findByLogin(login);
        }
        // An admin of the provider has no password: never a password login (same time as an unknown one).
        if (admin != null && admin.passwordHash() == null) admin = null;
        byte[] hash = admin == null ? DUMMY_HASH : admin.passwordHash().getBytes(StandardCharsets.UTF_8);
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        // No stored password is longer: a longer one is wrong, checked against the dummy for the same time.
        if (given.length > MAX_PASSWORD_BYTES) {
            BCrypt.verifyer().verify(new byte[0], DUMMY_HASH);
            return Optional.empty();
        }
        boolean ok = BCrypt.verifyer().verify(given, hash).verified;
        return ok && admin != null ? Optional.of(admin) : Optional.empty();
    }

    public List<String> structuresOf(Admin admin) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(AdminMapper.class).structureUais(admin.id());
        }
    }

    public void changePassword(Admin admin, String newPassword) {
        if (newPassword == null || newPassword.length() < 10) throw new AdminRefused("cli.error.admin.shortPassword");
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(AdminMapper.class).updatePassword(admin.id(), hash(newPassword), false);
        }
    }

    /** A demo admin and the one-time password just given to it. */
    public record OneTimeCredential(String login, String password, boolean superAdmin, List<String> structures,
                                    List<String> classStructures) {
    }

    /** Creates the demo admins when there is no admin at all. */
    public void createDemoAdminsIfNone(List<String> localUais) {
        createDemoAdminsIfNone(localUais, null, null);
    }

    /**
     * Creates the demo admins when there is no admin at all: a super admin, one local admin per
     * structure and, when {@code classTeacherUai} is given, a class teacher ("prof.UAI") of one class.
     */
    public void createDemoAdminsIfNone(List<String> localUais, String classTeacherUai, String className) {
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            if (mapper.count() > 0) return;
            mapper.insert("superadmin", "Super administrateur", hash(newPassword()), true, true);
            for (String uai : localUais) {
                long id = mapper.insert("admin." + uai.toLowerCase(java.util.Locale.ROOT), "Administrateur " + uai, hash(newPassword()), false, true);
                mapper.linkStructure(id, uai);
            }
            if (classTeacherUai != null) {
                long id = mapper.insert("prof." + classTeacherUai.toLowerCase(java.util.Locale.ROOT),
                        "Professeur principal " + className, hash(newPassword()), false, true);
                mapper.linkClass(id, classTeacherUai, className);
            }
            session.commit(true);
        }
    }

    /** An admin still on a one-time password, and where it came from ('start' or 'reset'). */
    public record KeptOneTimePassword(String login, String source, java.time.OffsetDateTime issuedAt) {
    }

    /** Every admin still on a one-time password (nothing renewed): what a start that renews nothing tells. */
    public List<KeptOneTimePassword> keptOneTimePasswords() {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(AdminMapper.class).listKeptOneTimePasswordAdmins();
        }
    }

    /**
     * {@code admin reset-password}: a new one-time password for this admin (to change at the next
     * login), his web sessions ended; returned to be handed over. Later starts of serve keep it.
     */
    public OneTimeCredential resetPassword(String login) {
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            Admin admin = mapper.findByLogin(login);
            if (admin == null) throw new AdminRefused("cli.adminUnknown", login);
            if (admin.fromProvider()) {
                throw new AdminRefused("cli.error.admin.fromProvider", login);
            }
            String password = newPassword();
            mapper.resetPassword(admin.id(), hash(password));
            mapper.endSessions(admin.id());
            session.commit(true);
            return new OneTimeCredential(admin.login(), password, admin.superAdmin(), mapper.structureUais(admin.id()),
                    mapper.classStructureUais(admin.id()));
        }
    }

    /**
     * Gives every admin still on a one-time password issued by a start (the demo admins) a fresh one
     * and returns them to be printed: they are shown once, on the console of the operator who starts
     * the server. Passwords given by {@link #resetPassword} are kept.
     */
    public List<OneTimeCredential> renewOneTimePasswords() {
        List<OneTimeCredential> credentials = new ArrayList<>();
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            for (Admin admin : mapper.listOneTimePasswordAdmins()) {
                String password = newPassword();
                mapper.updatePassword(admin.id(), hash(password), true);
                credentials.add(new OneTimeCredential(admin.login(), password, admin.superAdmin(),
                        mapper.structureUais(admin.id()), mapper.classStructureUais(admin.id())));
            }
            session.commit(true);
        }
        return credentials;
    }

    private String newPassword() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 14; i++) sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        return sb.toString();
    }

    /** Whether bcrypt can take this password whole. */
    public static boolean fitsBcrypt(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    private static String hash(String password) {
        if (!fitsBcrypt(password)) throw new AdminRefused("cli.error.admin.longPassword", MAX_PASSWORD_BYTES);
        return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
    }
}
