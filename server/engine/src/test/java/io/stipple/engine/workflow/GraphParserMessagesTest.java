package io.stipple.engine.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Text that is not JSON is refused with where it went wrong, not gson's advice to programmers. */
class GraphParserMessagesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|the workflow is not valid JSON: malformed JSON at line 1 column 6",
        "{\"1\": {|the workflow is not valid JSON: it ends early at line 1 column 8"})
    void badJsonSaysWhere(String text, String message) {
        var e = assertThrows(WorkflowValidationException.class, () -> GraphParser.parse(text));
        assertEquals(message, e.getMessage());
    }
}
