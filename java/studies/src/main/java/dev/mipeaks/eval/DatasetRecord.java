package dev.mipeaks.eval;

import java.util.Map;

/**
 * One problem of a dataset, in a form that does not depend on the file it came from.
 *
 * @param index    0-based position in the file (before offset/limit are applied), the key predictions use
 * @param id       the dataset's own id (MATH-500 unique_id, AIME id, GSM8K idx), or the index as text
 * @param problem  the question text fed to the model
 * @param solution the reference solution text (may be empty, e.g. when a file has none)
 * @param answer   the ground-truth final answer (MATH answer, GSM8K number after "####", AIME integer)
 * @param subject  MATH subject, or null
 * @param level    MATH difficulty level, or null
 * @param raw      every field of the source row, unchanged
 */
public record DatasetRecord(int index, String id, String problem, String solution, String answer,
                            String subject, Integer level, Map<String, Object> raw) {
}
