package fr.publipostage.customisation;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two texts (longest common subsequence), for the editor's "compare versions". */
public final class TextDiff {
    /** One line: {@code ' '} in both, {@code '-'} only in the older text, {@code '+'} only in the newer. */
    public record Line(char op, String text, int oldLine, int newLine) {
    }

    /** Beyond this many lines on each side the texts are compared as a whole (the table would be too big). */
    static final int MAX_LINES = 4_000;

    private TextDiff() {
    }

    public static List<Line> lines(String older, String newer) {
        String[] a = older.split("\n", -1);
        String[] b = newer.split("\n", -1);
        List<Line> out = new ArrayList<>();
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            for (int i = 0; i < a.length; i++) out.add(new Line('-', a[i], i + 1, 0));
            for (int j = 0; j < b.length; j++) out.add(new Line('+', b[j], 0, j + 1));
            return out;
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i].equals(b[j])) {
                out.add(new Line(' ', a[i], i + 1, j + 1));
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                out.add(new Line('-', a[i], i + 1, 0));
                i++;
            } else {
                out.add(new Line('+', b[j], 0, j + 1));
                j++;
            }
        }
        for (; i < a.length; i++) out.add(new Line('-', a[i], i + 1, 0));
        for (; j < b.length; j++) out.add(new Line('+', b[j], 0, j + 1));
        return out;
    }
}
