package fr.publipostage.letters;

import com.openhtmltopdf.extend.ReplacedElement;
import com.openhtmltopdf.extend.ReplacedElementFactory;
import com.openhtmltopdf.extend.UserAgentCallback;
import com.openhtmltopdf.layout.LayoutContext;
import com.openhtmltopdf.render.BlockBox;
import java.util.Locale;
import java.util.function.Consumer;
import org.w3c.dom.Element;

/**
 * A letter's {@code <img>} that the engine would draw as a PDF page ({@code data:application/pdf},
 * a source ending in {@code .pdf}) is not drawn: OpenHTMLtoPDF hands such bytes to PDFBox whole,
 * without asking the resource control, so neither the image limits nor the refusal would apply.
 * Every other element goes to the engine's own factory.
 */
final class NoPdfImages implements ReplacedElementFactory {
    private final ReplacedElementFactory engine;
    private final Consumer<String> refused;

    NoPdfImages(ReplacedElementFactory engine, Consumer<String> refused) {
        this.engine = engine;
        this.refused = refused;
    }

    /** Whether the engine would read this {@code src} as a PDF (its own test, here without regard to case). */
    static boolean isPdf(String src) {
        String s = src.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".pdf") || s.startsWith("data:application/pdf");
    }

    @Override
    public ReplacedElement createReplacedElement(LayoutContext c, BlockBox box, UserAgentCallback uac, int cssWidth,
                                                 int cssHeight) {
        Element e = box.getElement();
        if (e != null && e.getNodeName().equals("img") && isPdf(e.getAttribute("src"))) {
            refused.accept(e.getAttribute("src"));
            return null;
        }
        return engine.createReplacedElement(c, box, uac, cssWidth, cssHeight);
    }

    @Override
    public boolean isReplacedElement(Element e) {
        return engine.isReplacedElement(e);
    }
}
