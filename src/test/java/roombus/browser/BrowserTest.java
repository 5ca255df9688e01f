package roombus.browser;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test (class or method) that drives a real Chromium ({@link Browser}): tagged {@code browser}
 * ({@code mvn test -Dgroups=browser} runs these alone, {@code -DexcludedGroups=browser} all but
 * these), and skipped with the reason, rather than failed, where Chromium or chromedriver is not
 * installed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("browser")
@ExtendWith(BrowserTest.ChromiumInstalled.class)
public @interface BrowserTest {

  /**
   * Skips the class or method, before anything of it runs, when {@link Browser#missing()} says why.
   */
  final class ChromiumInstalled implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String missing = Browser.missing();
      return missing == null
          ? ConditionEvaluationResult.enabled("Chromium and chromedriver are installed")
          : ConditionEvaluationResult.disabled(missing);
    }
  }
}
