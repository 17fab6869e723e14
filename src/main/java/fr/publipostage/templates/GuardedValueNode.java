package fr.publipostage.templates;

import java.io.IOException;
import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.parser.node.ASTAddNode;
import org.apache.velocity.runtime.parser.node.ASTDirective;
import org.apache.velocity.runtime.parser.node.ASTIntegerRange;
import org.apache.velocity.runtime.parser.node.ASTMap;
import org.apache.velocity.runtime.parser.node.ASTObjectArray;
import org.apache.velocity.runtime.parser.node.ASTStringLiteral;
import org.apache.velocity.runtime.parser.node.Node;
import org.apache.velocity.runtime.parser.node.SimpleNode;

/**
 * Stands in a parsed template for a node that builds a value ({@code [1..n]}, {@code a + b},
 * {@code [a, b]}, {@code {k: v}}, {@code "…$s…"}) and checks the value against the render's
 * {@link RenderGuard}: no value a template builds is larger than the limit, so no operation on
 * template values (concatenation, printing a list) can exhaust the memory. Ranges iterated by
 * {@code #foreach} are not checked: they are lazy and the loop count is limited.
 */
final class GuardedValueNode extends SimpleNode {
    private final Node inner;

    private GuardedValueNode(Node inner) {
        super(inner.getType());
        this.inner = inner;
        jjtSetParent(inner.jjtGetParent());
    }

    /** Wraps the value-building nodes of this tree in place (idempotent). */
    static void guard(Node node) {
        for (int i = 0; i < node.jjtGetNumChildren(); i++) {
            Node child = node.jjtGetChild(i);
            if (child instanceof GuardedValueNode) continue;
            guard(child);
            if (needsGuard(node, child)) node.jjtAddChild(new GuardedValueNode(child), i);
        }
    }

    private static boolean needsGuard(Node parent, Node child) {
        if (child instanceof ASTIntegerRange) {
            return !(parent instanceof ASTDirective d && "foreach".equals(d.getDirectiveName()));
        }
        return child instanceof ASTAddNode || child instanceof ASTObjectArray || child instanceof ASTMap
                || child instanceof ASTStringLiteral;
    }

    @Override
    public Object value(InternalContextAdapter context) {
        Object value = inner.value(context);
        RenderGuard guard = RenderGuard.of(context);
        if (guard != null) {
            guard.checkTime(getLine(), getColumn());
            guard.checkValue(value, describe(), getLine(), getColumn());
        }
        return value;
    }

    /** The expression, shortened, for the error (the parser's tokens of some nodes are gone by now). */
    private String describe() {
        String literal;
        try {
            literal = inner.literal();
        } catch (RuntimeException e) {
            literal = null;
        }
        if (literal == null || literal.isBlank()) {
            literal = inner instanceof ASTIntegerRange ? "[n..m]" : inner instanceof ASTObjectArray ? "[…]"
                    : inner instanceof ASTMap ? "{…}" : inner instanceof ASTAddNode ? "… + …" : "\"…\"";
        }
        return literal.length() > 60 ? literal.substring(0, 60) + "…" : literal;
    }

    @Override
    public boolean evaluate(InternalContextAdapter context) {
        return inner.evaluate(context);
    }

    @Override
    public Object execute(Object o, InternalContextAdapter context) {
        return inner.execute(o, context);
    }

    @Override
    public boolean render(InternalContextAdapter context, Writer writer) throws IOException {
        return inner.render(context, writer);
    }

    @Override
    public String literal() {
        return inner.literal();
    }

    @Override
    public int getLine() {
        return inner.getLine();
    }

    @Override
    public int getColumn() {
        return inner.getColumn();
    }

    @Override
    public String getTemplateName() {
        return inner.getTemplateName();
    }

    @Override
    public int jjtGetNumChildren() {
        return inner.jjtGetNumChildren();
    }

    @Override
    public Node jjtGetChild(int i) {
        return inner.jjtGetChild(i);
    }

    @Override
    public void jjtAddChild(Node n, int i) {
        inner.jjtAddChild(n, i);
    }
}
