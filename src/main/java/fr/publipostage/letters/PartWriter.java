package fr.publipostage.letters;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Saves a chunk (uncompressed, for {@link ChunkConcatenator}) exactly as
 * {@code PDDocument.save(out, NO_COMPRESSION)} does, minus one quadratic cost: PDFBox 3.0.8's
 * {@code COSWriter} asks its queue of objects to write {@code contains(o)} for every reference it
 * meets, and the queue is an {@code ArrayDeque} (a linear scan). A tagged chunk of 100 letters holds
 * ~10,000 objects; the profile of a warm 10,000-letter print had 7 % of all CPU samples in that scan
 * (issue 15). Here the writer's queue is swapped for one with a hash index (same order, same
 * answers). Both hooks are private members of PDFBox, reached by reflection; if a PDFBox upgrade
 * renames them, the plain save is used, so output never depends on them.
 */
final class PartWriter {
    private static final Field QUEUE;
    private static final Method SUBSET_FONTS;

    static {
        Field queue = null;
        Method subset = null;
        try {
            queue = COSWriter.class.getDeclaredField("objectsToWrite");
            queue.setAccessible(true);
            subset = PDDocument.class.getDeclaredMethod("subsetDesignatedFonts");
            subset.setAccessible(true);
            if (!queue.getType().isAssignableFrom(IndexedQueue.class)) queue = null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            queue = null;
        }
        QUEUE = queue;
        SUBSET_FONTS = subset;
    }

    private PartWriter() {
    }

    /** Writes {@code doc} to {@code out} (flushed, not closed, as {@code PDDocument.save} does), uncompressed. */
    static void save(PDDocument doc, OutputStream out) throws IOException {
        if (QUEUE == null || SUBSET_FONTS == null) {
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return;
        }
        try {
            SUBSET_FONTS.invoke(doc);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        doc.getDocument().setIsXRefStream(false);
        COSWriter writer = new COSWriter(out, CompressParameters.NO_COMPRESSION);
        try {
            QUEUE.set(writer, new IndexedQueue());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        writer.write(doc);
    }

    /**
     * An {@code ArrayDeque} that answers {@code contains} from a count per element (equals semantics, as
     * ArrayDeque's). Every way in goes through addFirst/addLast and every way out through
     * pollFirst/pollLast or remove*Occurrence (ArrayDeque's other methods delegate to these); bulk
     * removals, which would bypass the count, are refused.
     */
    static final class IndexedQueue extends ArrayDeque<COSBase> {
        private final Map<Object, Integer> counts = new HashMap<>();

        @Override
        public void addLast(COSBase e) {
            super.addLast(e);
            counts.merge(e, 1, Integer::sum);
        }

        @Override
        public void addFirst(COSBase e) {
            super.addFirst(e);
            counts.merge(e, 1, Integer::sum);
        }

        @Override
        public COSBase pollFirst() {
            COSBase e = super.pollFirst();
            if (e != null) forget(e);
            return e;
        }

        @Override
        public COSBase pollLast() {
            COSBase e = super.pollLast();
            if (e != null) forget(e);
            return e;
        }

        @Override
        public boolean removeFirstOccurrence(Object o) {
            boolean removed = super.removeFirstOccurrence(o);
            if (removed) forget(o);
            return removed;
        }

        @Override
        public boolean removeLastOccurrence(Object o) {
            boolean removed = super.removeLastOccurrence(o);
            if (removed) forget(o);
            return removed;
        }

        @Override
        public boolean contains(Object o) {
            return o != null && counts.containsKey(o);
        }

        @Override
        public void clear() {
            super.clear();
            counts.clear();
        }

        @Override
        public boolean removeIf(java.util.function.Predicate<? super COSBase> filter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean removeAll(java.util.Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean retainAll(java.util.Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        private void forget(Object e) {
            counts.computeIfPresent(e, (k, n) -> n == 1 ? null : n - 1);
        }
    }
}
