package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnomalySettingsTest {

    @Test
    void eachRuleLooksAtItsOwnScoreOnly() {
        AnomalySettings z = new AnomalySettings(3.0, 20, 1000);
        assertEquals(AlarmRule.Z_SCORE, z.rule(), "the job's rule unless told otherwise");
        assertTrue(z.flags(3.0, 0.1));
        assertFalse(z.flags(2.9, 50.0));
        assertFalse(z.flags(Double.NaN, 50.0), "no z-score, no alarm");
        AnomalySettings e = new AnomalySettings(3.0, 20, 1000, AlarmRule.EXCEEDANCE, 4.6);
        assertTrue(e.flags(0.0, 4.6));
        assertFalse(e.flags(50.0, 4.5));
        assertFalse(e.flags(50.0, Double.NaN), "no exceedance, no alarm");
    }

    @Test
    void badSettingsNameTheirOption() {
        IllegalArgumentException rule =
                assertThrows(IllegalArgumentException.class, () -> new AnomalySettings(3.0, 20, 1000, null, 6.9));
        assertTrue(rule.getMessage().contains("--alarm"), rule.getMessage());
        IllegalArgumentException threshold = assertThrows(
                IllegalArgumentException.class, () -> new AnomalySettings(3.0, 20, 1000, AlarmRule.EXCEEDANCE, 0));
        assertTrue(threshold.getMessage().contains("--exceedance-threshold"), threshold.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnomalySettings(3.0, 20, 1000, AlarmRule.EXCEEDANCE, Double.NaN));
    }
}
