package io.llmlog.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a unit folds calls as the index holds them (column values), as the engine's stats count. */
class UnitFoldTest {
  private static final List<String> DIMENSIONS = List.of("model", "level");

  private static Map<String, Object> call(Object... keysAndValues) {
    Map<String, Object> call = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      call.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return call;
  }

  @Test
  void add_callsWithAndWithoutWeight_countByWeightAndStoredOnce() {
    UnitFold unit = new UnitFold(new RollupUnit(0, RollupUnit.MINUTE));

    unit.add(call("model", "a", "level", "info", "latency_ms", 100.0), DIMENSIONS);
    unit.add(
        call("model", "a", "level", "error", "latency_ms", 300.0, "sample_weight", 4.0),
        DIMENSIONS);

    assertThat(unit.total.count()).isEqualTo(5);
    assertThat(unit.total.stored()).isEqualTo(2);
    assertThat(unit.total.errors()).isEqualTo(4);
    assertThat(unit.total.sum("latency_ms")).isEqualTo(1300);
    assertThat(unit.total.weightsVary()).isTrue();
    assertThat(unit.values.get("level").keySet()).containsExactlyInAnyOrder("info", "error");
    assertThat(unit.values.get("model").get("a").count()).isEqualTo(5);
  }

  @Test
  void add_errorTypeWithoutErrorLevel_isNotAnError() {
    UnitFold unit = new UnitFold(new RollupUnit(0, RollupUnit.MINUTE));

    unit.add(call("level", "warn", "error.type", "timeout"), DIMENSIONS);

    assertThat(unit.total.errors()).isZero();
  }

  @Test
  void add_fieldMissingOrSeveralValues_inNoGroupOrInEach() {
    UnitFold unit = new UnitFold(new RollupUnit(0, RollupUnit.MINUTE));

    unit.add(call("level", "info"), DIMENSIONS);
    unit.add(call("model", List.of("a", "b"), "level", "info"), DIMENSIONS);

    assertThat(unit.total.count()).isEqualTo(2);
    assertThat(unit.values.get("model").keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(unit.values.get("model").get("a").count()).isEqualTo(1);
  }

  @Test
  void add_moreValuesThanKept_fieldOverflowsAndKeepsNone() {
    UnitFold unit = new UnitFold(new RollupUnit(0, RollupUnit.MINUTE));

    for (int i = 0; i <= UnitFold.MAX_VALUES; i++) {
      unit.add(call("model", "m" + i, "level", "info"), DIMENSIONS);
    }

    assertThat(unit.overflowing).containsExactly("model");
    assertThat(unit.values.get("model")).isEmpty();
    assertThat(unit.values.get("level").get("info").stored()).isEqualTo(UnitFold.MAX_VALUES + 1);
  }

  @Test
  void merge_accumulatorThroughJson_keepsStoredAndWeights() {
    UnitFold unit = new UnitFold(new RollupUnit(0, RollupUnit.MINUTE));
    unit.add(call("level", "info", "sample_weight", 2.0), DIMENSIONS);
    unit.add(call("level", "info"), DIMENSIONS);

    Accumulator back = Accumulator.fromJson(unit.total.toJson());

    assertThat(back.stored()).isEqualTo(2);
    assertThat(back.count()).isEqualTo(3);
    assertThat(back.weightsVary()).isTrue();
  }
}
