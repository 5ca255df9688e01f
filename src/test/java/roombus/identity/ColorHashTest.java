package roombus.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A colour is derived from a string exactly as the Node color-hash package does it")
class ColorHashTest {

  /** Expected values produced by npm color-hash 2.0.2: {@code new ColorHash().hex(s)}. */
  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("the same input gives the same colour as color-hash 2.0.2 with default options")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      textBlock =
          """
      ''                                       | #535dac
      a                                        | #d2c679
      abc                                      | #e0d66c
      Hello World                              | #7984d2
      s:3f9a1c0e-4b7d-4e2a-9c1b-7d5e8f2a6b3c   | #6cc9e0
      8dZq1vXyK0pLmN3oR7sT                     | #6b2d86
      세션아이디                                 | #563a78
      """)
  void sameAsNode(String input, String expected) {
    assertThat(ColorHash.hex(input)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("a long input (x repeated 100 times) gives color-hash's #7cd279")
  void longInput() {
    assertThat(ColorHash.hex("x".repeat(100))).isEqualTo("#7cd279");
  }
}
