package fr.publipostage.templates;

import org.apache.velocity.runtime.directive.DirectiveConstants;

/**
 * Replaces Velocity's {@code #define}: a block that names itself ({@code #define($a)$a#end$a}) recurses
 * until the stack overflows (issue 10), and letters need no deferred blocks ({@code #set} and
 * {@code #parse} of another file of the set do the job).
 */
public final class RefusedDefine extends RefusedDirective {
    @Override
    public String getName() {
        return "define";
    }

    @Override
    public int getType() {
        return DirectiveConstants.BLOCK;
    }
}
