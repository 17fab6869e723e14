package fr.publipostage.customisation;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import org.apache.batik.bridge.EmbededExternalResourceSecurity;
import org.apache.batik.bridge.ExternalResourceSecurity;
import org.apache.batik.bridge.NoLoadScriptSecurity;
import org.apache.batik.bridge.ScriptSecurity;
import org.apache.batik.bridge.UserAgent;
import org.apache.batik.transcoder.SVGAbstractTranscoder;
import org.apache.batik.transcoder.TranscoderException;
import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.ImageTranscoder;
import org.apache.batik.util.ParsedURL;

/**
 * Draws a sanitised SVG once into an image (Batik), so letters embed a PNG: DESIGN.md §6 measured an
 * SVG logo at ~2× the cost of every page, a PNG {@code data:} logo as one image shared by the document.
 *
 * <p>Batik itself is locked down too, in case the sanitiser missed something: no script of any type,
 * no onload, and no external resource except {@code data:} URIs.
 */
public final class SvgRasteriser {

    /** @throws LogoRejected {@code logo.svg.unrenderable} when Batik cannot draw it */
    public BufferedImage rasterise(byte[] svg, int width, int height) {
        LockedDownTranscoder transcoder = new LockedDownTranscoder();
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_WIDTH, (float) width);
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_HEIGHT, (float) height);
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_ALLOWED_SCRIPT_TYPES, "");
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_CONSTRAIN_SCRIPT_ORIGIN, Boolean.TRUE);
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_EXECUTE_ONLOAD, Boolean.FALSE);
        transcoder.addTranscodingHint(SVGAbstractTranscoder.KEY_ALLOW_EXTERNAL_RESOURCES, Boolean.FALSE);
        TranscoderInput input = new TranscoderInput(new ByteArrayInputStream(svg));
        try {
            transcoder.transcode(input, new TranscoderOutput());
        } catch (TranscoderException | RuntimeException e) {
            throw new LogoRejected(e, "logo.svg.unrenderable");
        }
        if (transcoder.image == null) throw new LogoRejected("logo.svg.unrenderable");
        return transcoder.image;
    }

    private static final class LockedDownTranscoder extends ImageTranscoder {
        private BufferedImage image;

        @Override
        protected UserAgent createUserAgent() {
            return new SVGAbstractTranscoderUserAgent() {
                @Override
                public ScriptSecurity getScriptSecurity(String scriptType, ParsedURL scriptUrl, ParsedURL documentUrl) {
                    return new NoLoadScriptSecurity(scriptType);
                }

                @Override
                public ExternalResourceSecurity getExternalResourceSecurity(ParsedURL resourceUrl, ParsedURL documentUrl) {
                    return new EmbededExternalResourceSecurity(resourceUrl);
                }

                @Override
                public boolean isAllowExternalResources() {
                    return false;
                }
            };
        }

        @Override
        public BufferedImage createImage(int width, int height) {
            return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        }

        @Override
        public void writeImage(BufferedImage img, TranscoderOutput output) {
            this.image = img;
        }
    }
}
