package roombus;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * Starts the hubs that {@link StartHub} asks for: in a static field before all tests of the class,
 * in an instance field before each test, in a parameter for its test. Each hub is kept in the JUnit
 * store of the scope it was started for, and JUnit closes it (a {@link TestHub} is {@link
 * AutoCloseable}) when that scope ends, after the test's own {@code @AfterEach}/{@code @AfterAll}
 * and whether or not it passed.
 */
public final class HubExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace HUBS =
      ExtensionContext.Namespace.create(HubExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    for (Field field : fields(context.getRequiredTestClass(), true)) {
      field.set(null, started(context, field, field.getAnnotation(StartHub.class)));
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : fields(instance.getClass(), false)) {
        field.set(
            instance,
            started(context, List.of(instance, field), field.getAnnotation(StartHub.class)));
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.isAnnotated(StartHub.class)
        && parameter.getParameter().getType() == TestHub.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return started(context, parameter, parameter.findAnnotation(StartHub.class).orElseThrow());
  }

  /** Starts a hub for {@code context}, which closes it when it ends. */
  private static TestHub started(ExtensionContext context, Object key, StartHub wanted) {
    TestHub hub = TestHub.start(settings(wanted));
    context.getStore(HUBS).put(key, hub);
    return hub;
  }

  private static Map<String, String> settings(StartHub wanted) {
    Map<String, String> settings = new HashMap<>();
    for (String setting : wanted.settings()) {
      int eq = setting.indexOf('=');
      if (eq < 1)
        throw new ExtensionConfigurationException(
            "@StartHub settings are NAME=value, not: " + setting);
      settings.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    if (wanted.tcpBridge()) settings.put("TCP_BRIDGE_PORT", String.valueOf(TestHub.freePort()));
    return settings;
  }

  private static List<Field> fields(Class<?> testClass, boolean statics) {
    List<Field> fields =
        AnnotationSupport.findAnnotatedFields(
            testClass, StartHub.class, f -> ModifierSupport.isStatic(f) == statics);
    for (Field field : fields) {
      if (field.getType() != TestHub.class || ModifierSupport.isFinal(field)) {
        throw new ExtensionConfigurationException(
            "@StartHub goes on a non-final TestHub field, not " + field);
      }
      field.setAccessible(true);
    }
    return fields;
  }
}
