package fr.publipostage.letters;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * veraPDF's own validator (the greenfield parser, the profiles shipped inside its core jar) on a PDF
 * read from bytes: the failed rules of a profile, each with its clause, test number, description and
 * a few places, so a failing test says what is wrong.
 */
public final class VeraPdf {
    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private VeraPdf() {
    }

    /** One failed rule: its id (clause-test), how many checks failed, what it says, where. */
    public record Failure(String rule, int count, String description, List<String> where) {
        @Override
        public String toString() {
            return rule + " ×" + count + " " + description + " " + where;
        }
    }

    /** The failed rules of {@code flavour}'s profile; empty when the file conforms. */
    public static List<Failure> failures(byte[] pdf, PDFAFlavour flavour) {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
             PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            ValidationResult result = validator.validate(parser);
            Map<String, Failure> byRule = new LinkedHashMap<>();
            for (TestAssertion a : result.getTestAssertions()) {
                if (a.getStatus() != TestAssertion.Status.FAILED) continue;
                String id = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
                Failure f = byRule.computeIfAbsent(id, k -> new Failure(k, 0, a.getMessage(), new ArrayList<>()));
                if (f.where().size() < 3) f.where().add(a.getLocation().getContext());
            }
            List<Failure> out = new ArrayList<>();
            for (Map.Entry<org.verapdf.pdfa.validation.profiles.RuleId, Integer> e : result.getFailedChecks().entrySet()) {
                String id = e.getKey().getClause() + "-" + e.getKey().getTestNumber();
                Failure f = byRule.getOrDefault(id, new Failure(id, 0, "", List.of()));
                out.add(new Failure(id, e.getValue(), f.description(), f.where()));
            }
            if (out.isEmpty() && !result.isCompliant()) out.add(new Failure("?", 1, "not compliant: " + result.getJobEndStatus(), List.of()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("veraPDF could not validate the file: " + e, e);
        }
    }

    /** A PDF/A copy: the PDF/A identification in its XMP metadata and an output intent. */
    public static boolean isArchive(byte[] pdf) throws java.io.IOException {
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            var meta = doc.getDocumentCatalog().getMetadata();
            return meta != null && new String(meta.toByteArray(), java.nio.charset.StandardCharsets.UTF_8).contains("pdfaid:part")
                    && !doc.getDocumentCatalog().getOutputIntents().isEmpty();
        }
    }

    /** The profile's name and date as veraPDF reports them (for the README and the report). */
    public static String profile(PDFAFlavour flavour) {
        var details = org.verapdf.pdfa.validation.profiles.Profiles.getVeraProfileDirectory()
                .getValidationProfileByFlavour(flavour).getDetails();
        return details.getName() + " (" + details.getDateCreated() + ")";
    }
}
