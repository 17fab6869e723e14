package fr.publipostage.letters;

import java.io.IOException;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * XHTML read into a DOM by the JDK's DocumentBuilder: namespace-aware, not validating, no external
 * DTD or entity read. OpenHTMLtoPDF's own reading of a string (a SAX parser feeding an identity
 * transformer, both factories looked up anew for every document) was 5–8 % of a warm print's CPU;
 * this gives the same tree for a document without a DOCTYPE (see {@link PdfRenderer}).
 */
final class XhtmlParser {
    private static final ErrorHandler FATAL_ONLY = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // Not an error: the tree is the same.
        }

        @Override
        public void error(SAXParseException e) {
            // Validity only (we do not validate).
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final DocumentBuilderFactory factory;

    XhtmlParser() {
        try {
            factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    /** The document, or a {@link SAXException} saying why it is not well-formed (nothing printed). */
    Document parse(InputSource in) throws IOException, SAXException {
        DocumentBuilder builder;
        synchronized (factory) {  // a factory is not thread-safe; a builder serves one parse here
            try {
                builder = factory.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException(e);
            }
        }
        builder.setErrorHandler(FATAL_ONLY);
        return builder.parse(in);
    }
}
