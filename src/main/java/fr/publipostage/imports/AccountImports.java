package fr.publipostage.imports;

import fr.publipostage.directory.AccountImporter;
import fr.publipostage.directory.AddressImporter;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.ImportOptions;
import fr.publipostage.directory.ImportProblem;
import fr.publipostage.directory.ImportRejected;
import fr.publipostage.directory.ImportReport;
import fr.publipostage.directory.Structure;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * Importing accounts, for the command line and the web page: the one {@link AccountImporter} underneath,
 * plus what each front needs — the web's upload kept between its dry run and "Appliquer", and the
 * audit event of every import that writes ({@value #AUDIT_ACTION}: who, which file and its SHA-256,
 * what changed). Whether the admin may import into the school is the caller's business.
 */
public final class AccountImports {
    public static final String AUDIT_ACTION = "account-import";
    /** An upload not applied within this time is deleted (it holds activation codes). */
    public static final int KEEP_MINUTES = 60;
    /** Accounts listed in each list of a web dry run (all are counted). */
    public static final int WEB_LIST_LIMIT = 500;

    private final SqlSessionFactory sessions;
    private final AccountImporter importer;
    private final AddressImporter addresses;
    private final AuditLog audit;
    private final SecureRandom random;
    private final int maxBytes;

    public AccountImports(SqlSessionFactory sessions, AccountImporter importer, AddressImporter addresses, AuditLog audit,
                          SecureRandom random, int maxBytes) {
        this.sessions = sessions;
        this.importer = importer;
        this.addresses = addresses;
        this.audit = audit;
        this.random = random;
        this.maxBytes = maxBytes;
    }

    /** The largest file the web page accepts, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The command line: the operator's import (or dry run), any size, streamed. */
    public ImportReport importFile(InputStream input, String structureUai, boolean apply, String operator, String fileName)
            throws ImportRejected, IOException {
        MessageDigest sha = sha256();
        ImportReport report = importer.run(new DigestInputStream(input, sha),
                ImportOptions.operator(structureUai, apply));
        if (apply) record(operator, report, fileName, HexFormat.of().formatHex(sha.digest()), structureUai);
        return report;
    }

    /** A checked upload: its id for "Appliquer" and the dry run's report. */
    public record Checked(String uploadId, ImportReport report) {
    }

    /**
     * The web page's first step: the dry run of an uploaded file for one school; a file that passes is
     * kept (for {@link #apply}) and its id returned.
     *
     * @throws ImportRejected the file cannot be imported: every problem by line and column; nothing kept
     */
    public Checked check(Structure structure, boolean hideSuperAdmins, String adminLogin, String fileName, byte[] content)
            throws ImportRejected, IOException {
        if (content.length > maxBytes) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.tooBig", String.valueOf(content.length / 1024), String.valueOf(maxBytes / 1024))));
        }
        ImportReport report = AddressImporter.recognises(content)
                ? addressReport(addresses.run(new ByteArrayInputStream(content), structure.uai(), false))
                : importer.run(new ByteArrayInputStream(content), new ImportOptions(structure.uai(), hideSuperAdmins, false, WEB_LIST_LIMIT));
        byte[] token = new byte[18];
        random.nextBytes(token);
        String id = HexFormat.of().formatHex(token);
        try (SqlSession session = sessions.openSession(false)) {
            UploadMapper uploads = session.getMapper(UploadMapper.class);
            uploads.deleteOlderThan(KEEP_MINUTES);
            uploads.insert(new Upload(id, structure.id(), adminLogin, fileName, content,
                    HexFormat.of().formatHex(sha256().digest(content))));
            session.commit();
        }
        return new Checked(id, report);
    }

    /**
     * "Appliquer": the kept upload imported for real, in one transaction, then deleted and audited. The
     * database may have changed since the dry run: the file is checked again and may now be refused.
     *
     * @throws NoSuchUpload not this admin's upload for this school, applied, discarded or expired
     */
    public ImportReport apply(String uploadId, Structure structure, boolean hideSuperAdmins, String adminLogin)
            throws ImportRejected, IOException, NoSuchUpload {
        Upload upload;
        try (SqlSession session = sessions.openSession(true)) {
            upload = session.getMapper(UploadMapper.class).find(uploadId, structure.id(), adminLogin);
        }
        if (upload == null) throw new NoSuchUpload(uploadId);
        if (AddressImporter.recognises(upload.content())) {
            AddressImporter.Report done = addresses.run(new ByteArrayInputStream(upload.content()), structure.uai(), true);
            discard(uploadId, structure, adminLogin);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", upload.fileName());
            details.put("sha256", upload.sha256());
            details.put("lines", done.lines());
            details.put("withAddress", done.withAddress());
            details.put("cleared", done.cleared());
            details.put("changed", done.changed());
            audit.record(adminLogin, AuditEvent.ADDRESS_IMPORT, structure.id(), done.lines(), details);
            return addressReport(done);
        }
        ImportReport report = importer.run(new ByteArrayInputStream(upload.content()),
                new ImportOptions(structure.uai(), hideSuperAdmins, true, WEB_LIST_LIMIT));
        discard(uploadId, structure, adminLogin);
        record(adminLogin, report, upload.fileName(), upload.sha256(), structure.uai());
        return report;
    }

    /** Forgets an upload without importing it; false when there was none. */
    public boolean discard(String uploadId, Structure structure, String adminLogin) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(UploadMapper.class).delete(uploadId, structure.id(), adminLogin) > 0;
        }
    }

    /**
     * An address file's result in the account import's shape, so that the web page shows and applies
     * it the same way: format {@code addresses}, the accounts whose address changes as "updated".
     */
    private static ImportReport addressReport(AddressImporter.Report r) {
        return new ImportReport("addresses", r.lines(), 0, r.changed(), r.unchanged(), List.of(r.uai()),
                r.changed() == 0 ? Map.of() : Map.of("postalAddress", r.changed()), 0, List.of(), r.changedAccounts(), 0,
                List.of(), r.applied());
    }

    private void record(String who, ImportReport report, String fileName, String sha256, String structureUai) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", fileName);
        details.put("sha256", sha256);
        details.put("format", report.format());
        details.put("structures", report.structures());
        details.put("lines", report.lines());
        details.put("created", report.created());
        details.put("updated", report.updated());
        details.put("unchanged", report.unchanged());
        details.put("changedFields", report.changedFields());
        details.put("absent", report.absent());
        String uai = structureUai != null ? structureUai : report.structures().size() == 1 ? report.structures().get(0) : null;
        Long structureId = null;
        if (uai != null) {
            try (SqlSession session = sessions.openSession(true)) {
                Structure s = session.getMapper(DirectoryMapper.class).findStructureByUai(uai);
                structureId = s == null ? null : s.id();
            }
        }
        audit.record(who, AUDIT_ACTION, structureId, report.created() + report.updated(), details);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
