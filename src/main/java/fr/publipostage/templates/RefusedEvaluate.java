package fr.publipostage.templates;

import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.RuntimeServices;
import org.apache.velocity.runtime.directive.Directive;
import org.apache.velocity.runtime.directive.DirectiveConstants;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * Replaces Velocity's {@code #evaluate}: a template built at run time from a string would escape
 * the checks put into parsed templates (see {@link GuardedValueNode}), and letters never need it.
 */
public final class RefusedEvaluate extends Directive {
    @Override
    public String getName() {
        return "evaluate";
    }

    @Override
    public int getType() {
        return DirectiveConstants.LINE;
    }

    @Override
    public void init(RuntimeServices rs, InternalContextAdapter context, Node node) {
        throw refused(node);
    }

    @Override
    public boolean render(InternalContextAdapter context, Writer writer, Node node) {
        throw refused(node);
    }

    private static TemplateError refused(Node node) {
        return new TemplateError(ResolverResourceLoader.fileOf(node.getTemplateName()),
                TemplateError.Reason.FORBIDDEN_CALL, node.getLine(), node.getColumn(), "#evaluate",
                "#evaluate is not allowed in templates", null);
    }
}
