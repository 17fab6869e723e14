package fr.publipostage.templates;

import java.io.IOException;
import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.directive.Foreach;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * Replaces Velocity's {@code #foreach} (same name, registered as a custom directive): before each
 * iteration the render's deadline is checked, so nested loops that print nothing (10⁹ iterations
 * within the loop-count limit) stop with a {@link TemplateError.Reason#TIMEOUT}.
 */
public final class SandboxForeach extends Foreach {
    @Override
    protected void renderBlock(InternalContextAdapter context, Writer writer, Node block) throws IOException {
        RenderGuard guard = RenderGuard.of(context);
        if (guard != null) guard.checkTime(block.getLine(), block.getColumn());
        super.renderBlock(context, writer, block);
    }
}
