package fr.publipostage.customisation;

import fr.publipostage.security.AuditLog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * A school's logo: upload (checked, sanitised, stored with the copy letters use), current, removal.
 * The copy's {@code data:} URI is written to {@code structure.logo_url} in the same transaction, so
 * letters and previews show it with no other change. Whether the admin may act on the structure is the
 * caller's business; every change is audited.
 *
 * <p>The session factory must have {@link LogoMapper} registered.
 */
public final class LogoService {
    /** {@code audit_event.action} values. */
    public static final String AUDIT_UPLOAD = "logo-upload";
    public static final String AUDIT_REMOVE = "logo-remove";

    private final SqlSessionFactory sessions;
    private final AuditLog audit;
    private final LogoProcessor processor;

    public LogoService(SqlSessionFactory sessions, AuditLog audit, LogoProcessor processor) {
        this.sessions = sessions;
        this.audit = audit;
        this.processor = processor;
    }

    public LogoLimits limits() {
        return processor.limits();
    }

    /**
     * Checks and stores a new logo for the structure, replacing the previous one.
     *
     * @param bytes the uploaded file, whatever its name or declared type said
     * @throws LogoRejected nothing stored; key and args say why, in the admin's language
     * @throws IllegalArgumentException the structure does not exist
     */
    public Logo upload(long structureId, byte[] bytes, String adminLogin) {
        LogoProcessor.Processed p = processor.process(bytes);
        Logo logo = new Logo(structureId, p.format().contentType(), p.original(), p.originalWidth(), p.originalHeight(),
                p.lettersType(), p.lettersImage(), p.width(), p.height(), p.removed(), adminLogin, null);
        Logo saved;
        try (SqlSession session = sessions.openSession(false)) {
            LogoMapper mapper = session.getMapper(LogoMapper.class);
            if (mapper.setLogoUrl(structureId, logo.dataUri()) == 0) {
                throw new IllegalArgumentException("no structure " + structureId);
            }
            saved = mapper.save(logo);
            // save is an insert written as a select: commit(true) commits even though MyBatis saw no "update".
            session.commit(true);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", saved.originalType());
        details.put("bytes", bytes.length);
        details.put("sha256", sha256(bytes));
        details.put("width", saved.originalWidth());
        details.put("height", saved.originalHeight());
        if (!saved.removed().isEmpty()) details.put("removed", saved.removed());
        audit.record(adminLogin, AUDIT_UPLOAD, structureId, null, details);
        return saved;
    }

    public Optional<Logo> current(long structureId) {
        try (SqlSession session = sessions.openSession(true)) {
            return Optional.ofNullable(session.getMapper(LogoMapper.class).find(structureId));
        }
    }

    /**
     * Removes the logo: letters print without one again ({@code structure.logo_url} cleared).
     *
     * @return whether there was an uploaded logo (removal is audited only then)
     */
    public boolean remove(long structureId, String adminLogin) {
        int deleted;
        try (SqlSession session = sessions.openSession(false)) {
            LogoMapper mapper = session.getMapper(LogoMapper.class);
            mapper.setLogoUrl(structureId, null);
            deleted = mapper.delete(structureId);
            session.commit(true);
        }
        if (deleted > 0) audit.record(adminLogin, AUDIT_REMOVE, structureId, null, Map.of());
        return deleted > 0;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
