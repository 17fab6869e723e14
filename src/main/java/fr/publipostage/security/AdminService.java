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
    /** Compared against when the login is unknown, so both cases take the same time. */
    private static final byte[] DUMMY_HASH = BCrypt.withDefaults().hash(BCRYPT_COST, new byte[16], "x".getBytes(StandardCharsets.UTF_8));

    private final SqlSessionFactory sessions;
    private final SecureRandom random;

    public AdminService(SqlSessionFactory sessions, SecureRandom random) {
        this.sessions = sessions;
        this.random = random;
    }

    /** A refused creation; the message is for the operator. */
    public static final class AdminRefused extends RuntimeException {
        public AdminRefused(String message) {
            super(message);
        }
    }

    public Admin create(String login, String password, boolean superAdmin, List<String> uais) {
        checkLoginAndPassword(login, password);
        if (superAdmin == !uais.isEmpty()) {
            throw new AdminRefused("an admin is either --super or local to one or more --structure UAI");
        }
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            if (mapper.findByLogin(login) != null) throw new AdminRefused("an admin with login " + login + " exists already");
            long id = mapper.insert(login, login, hash(password), superAdmin, false);
            for (String uai : uais) {
                mapper.linkStructure(id, uai);
            }
            if (mapper.structureUais(id).size() != uais.size()) {
                session.rollback(true);
                throw new AdminRefused("unknown structure among " + uais);
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
        if (uai == null || classNames.isEmpty()) throw new AdminRefused("a class teacher needs one --structure UAI and one or more --class NAME");
        try (SqlSession session = sessions.openSession(false)) {
            AdminMapper mapper = session.getMapper(AdminMapper.class);
            if (mapper.findByLogin(login) != null) throw new AdminRefused("an admin with login " + login + " exists already");
            long id = mapper.insert(login, login, hash(password), false, false);
            for (String className : classNames) {
                if (mapper.linkClass(id, uai, className) != 1) {
                    session.rollback(true);
                    throw new AdminRefused("unknown class \"" + className + "\" in structure " + uai);
                }
            }
            session.commit(true);
            return mapper.findByLogin(login);
        }
    }

    private static void checkLoginAndPassword(String login, String password) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw new AdminRefused("login must be 3 to 64 letters, digits, dots, dashes or underscores");
        }
        if (password == null || password.length() < 10) {
            throw new AdminRefused("password must have at least 10 characters");
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
        boolean ok = BCrypt.verifyer().verify(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8), hash).verified;
        return ok && admin != null ? Optional.of(admin) : Optional.empty();
    }

    public List<String> structuresOf(Admin admin) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(AdminMapper.class).structureUais(admin.id());
        }
    }

    public void changePassword(Admin admin, String newPassword) {
        if (newPassword == null || newPassword.length() < 10) throw new AdminRefused("password must have at least 10 characters");
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
            if (admin == null) throw new AdminRefused("no admin with login " + login);
            if (admin.fromProvider()) {
                throw new AdminRefused(login + " logs in through the ENT's single sign-on and has no password here");
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

    private static String hash(String password) {
        return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
    }
}
