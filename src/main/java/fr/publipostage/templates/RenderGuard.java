package fr.publipostage.templates;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;
import org.apache.velocity.context.Context;
import org.apache.velocity.runtime.parser.node.ASTIntegerRange;

/**
 * The limits of one render call: a deadline and a budget of characters printed into values, plus
 * the size check every value a template builds goes through. One instance per call, kept in the
 * Velocity context under {@link #KEY}, a name no template can write ({@code $a.b} is a property).
 */
final class RenderGuard {
    static final String KEY = "publipostage.guard";

    private static final Field RANGE_LEFT = rangeField("left");
    private static final Field RANGE_RIGHT = rangeField("right");

    private final String file;
    private final long deadlineNanos;
    private final long maxRenderMillis;
    private final long maxValueWeight;
    private final long maxInsertedChars;
    private long insertedChars;
    /** Where the render last was (loops, built values), for errors raised where Velocity gives no position. */
    private int line;
    private int column;

    RenderGuard(String file, VelocityRenderer.Limits limits) {
        this.file = file;
        this.maxRenderMillis = limits.maxRenderTime().toMillis();
        this.deadlineNanos = System.nanoTime() + limits.maxRenderTime().toNanos();
        this.maxValueWeight = limits.maxOutputChars();
        // Interpolated strings ("$s$s…") are built before any check of their result can run.
        this.maxInsertedChars = 4L * limits.maxOutputChars();
    }

    /** The guard of the render this context belongs to, or null outside one. */
    static RenderGuard of(Context context) {
        return context == null ? null : context.get(KEY) instanceof RenderGuard g ? g : null;
    }

    String file() {
        return file;
    }

    void checkTime(int line, int column) {
        if (line > 0) {
            this.line = line;
            this.column = column;
        } else {
            line = this.line;
            column = this.column;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new TemplateError(file, TemplateError.Reason.TIMEOUT, line, column, maxRenderMillis + " ms",
                    "rendering took longer than " + maxRenderMillis + " ms", null);
        }
    }

    /** Refuses a value heavier than the limit (see {@link #weight}); returns it otherwise. */
    Object checkValue(Object value, String what, int line, int column) {
        if (weight(value, maxValueWeight) > maxValueWeight) {
            throw tooLarge(file, what, maxValueWeight, line, column);
        }
        return value;
    }

    /** Counts characters printed into values (references inside strings included). */
    void chargeInserted(int chars, String what) {
        insertedChars += chars;
        if (insertedChars > maxInsertedChars) throw tooLarge(file, what, maxInsertedChars, 0, 0);
    }

    static TemplateError tooLarge(String file, String what, long limit, int line, int column) {
        return new TemplateError(file, TemplateError.Reason.VALUE_TOO_LARGE, line, column, what,
                what + ": value larger than " + limit + " characters", null);
    }

    /**
     * About the number of characters {@code value} prints as, counted without printing it, and
     * stopping as soon as it exceeds {@code limit} (so a list of lists of a huge range is cheap to
     * refuse). Integer ranges are measured from their ends: their {@code size()} overflows.
     */
    static long weight(Object value, long limit) {
        if (value == null) return 0;
        if (value instanceof CharSequence s) return s.length();
        if (value instanceof ASTIntegerRange.IntegerRange range) return rangeSize(range) * 12;
        if (value instanceof Collection<?> c) {
            if (c.size() > limit) return c.size();
            long w = 2;
            for (Object o : c) {
                w += 2 + weight(o, limit - w);
                if (w > limit) return w;
            }
            return w;
        }
        if (value instanceof Map<?, ?> m) {
            if (m.size() > limit) return m.size();
            long w = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w += 3 + weight(e.getKey(), limit - w);
                if (w <= limit) w += weight(e.getValue(), limit - w);
                if (w > limit) return w;
            }
            return w;
        }
        if (value instanceof Map.Entry<?, ?> e) {
            long w = weight(e.getKey(), limit);
            return w > limit ? w : w + 1 + weight(e.getValue(), limit - w);
        }
        return 20; // numbers, booleans, our small views
    }

    static long rangeSize(ASTIntegerRange.IntegerRange range) {
        try {
            return Math.abs((long) RANGE_RIGHT.getInt(range) - (long) RANGE_LEFT.getInt(range)) + 1;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field rangeField(String name) {
        try {
            Field f = ASTIntegerRange.IntegerRange.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Velocity's IntegerRange changed: " + name, e);
        }
    }
}
