package io.farine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The figures of one run: every round's value per scenario, subject and metric, reduced to
 * median, min and max, printed as a table with farine's ratio to each baseline (the median of
 * the per-round ratios, with their lowest and highest: how far one run can move a verdict), and
 * written as JSON.
 */
final class Results {

	private final Map<Key, List<Double>> values = new LinkedHashMap<>();

	private final Map<Key, List<Double>> notes = new LinkedHashMap<>();

	void add(String scenario, String subject, String metric, double value) {
		this.values.computeIfAbsent(new Key(scenario, subject, metric, null), (key) -> new ArrayList<>()).add(value);
	}

	/** A round's value at one point of a curve: {@code x} is the work (calls in flight, body bytes, ...). */
	void add(String scenario, String subject, String metric, int x, double value) {
		this.values.computeIfAbsent(new Key(scenario, subject, metric, x), (key) -> new ArrayList<>()).add(value);
	}

	/** A diagnostic figure printed under the table, not written to the JSON (its metric is not one of the schema's). */
	void note(String scenario, String subject, String what, double value) {
		this.notes.computeIfAbsent(new Key(scenario, subject, what, null), (key) -> new ArrayList<>()).add(value);
	}

	String notes() {
		StringBuilder out = new StringBuilder();
		this.notes.forEach((key, rounds) -> {
			List<Double> sorted = rounds.stream().sorted().toList();
			out.append(String.format(Locale.ROOT, "%-16s %-34s %s: median %.2f [%.2f-%.2f]%n", key.scenario,
					key.subject, key.metric, median(sorted), sorted.get(0), sorted.get(sorted.size() - 1)));
		});
		return out.toString();
	}

	List<Measurement> measurements() {
		List<Measurement> all = new ArrayList<>();
		this.values.forEach((key, rounds) -> {
			List<Double> sorted = rounds.stream().sorted().toList();
			all.add(new Measurement(key.scenario, key.subject, key.metric, key.x, round(median(rounds)),
					round(sorted.get(0)),
					round(sorted.get(sorted.size() - 1)), sorted.size()));
		});
		return all;
	}

	void write(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		List<Map<String, Object>> json = new ArrayList<>();
		for (Measurement m : measurements()) {
			Map<String, Object> object = new LinkedHashMap<>();
			int variant = m.subject().indexOf(" (");
			object.put("scenario", m.scenario());
			object.put("subject", (variant < 0) ? m.subject() : m.subject().substring(0, variant));
			if (variant >= 0) {
				object.put("variant", m.subject().substring(variant + 2, m.subject().length() - 1));
			}
			object.put("metric", m.metric());
			if (m.x() != null) {
				object.put("x", m.x());
			}
			object.put("median", m.median());
			object.put("min", m.min());
			object.put("max", m.max());
			object.put("rounds", m.rounds());
			Double ratio = m.subject().equals("farine") ? null : ratio(m);
			if (ratio != null) {
				object.put("farine_ratio", Math.round(ratio * 100) / 100.0);
			}
			List<Double> ratios = m.subject().equals("farine") ? null : perRound(m);
			if (ratios != null) {
				object.put("farine_ratio_min", Math.round(ratios.get(0) * 100) / 100.0);
				object.put("farine_ratio_max", Math.round(ratios.get(ratios.size() - 1) * 100) / 100.0);
			}
			json.add(object);
		}
		Files.writeString(file, mapper.writeValueAsString(json));
	}

	String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%-22s %-34s %-14s %12s %12s %12s %7s  %s%n", "scenario", "subject",
				"metric", "median", "min", "max", "rounds", "farine/x [rounds' lowest-highest]"));
		for (Measurement m : measurements()) {
			Double farine = m.subject().equals("farine") ? null : ratio(m);
			List<Double> ratios = m.subject().equals("farine") ? null : perRound(m);
			String ratio = (farine == null) ? ""
					: (ratios == null) ? String.format(Locale.ROOT, "%.2f", farine)
							: String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", farine, ratios.get(0),
									ratios.get(ratios.size() - 1));
			String scenario = (m.x() == null) ? m.scenario() : m.scenario() + " " + m.x();
			out.append(String.format(Locale.ROOT, "%-22s %-34s %-14s %12.1f %12.1f %12.1f %7d  %s%n", scenario,
					m.subject(), m.metric(), m.median(), m.min(), m.max(), m.rounds(), ratio));
		}
		return out.toString();
	}

	/**
	 * farine's figure over this one's: the median of the per-round ratios when both have a value
	 * every round (subjects alternate within a round, so what slows a round slows both sides of
	 * its ratio), else the ratio of the medians; {@code null} without a farine figure.
	 */
	@Nullable Double ratio(Measurement m) {
		List<Double> ratios = perRound(m);
		if (ratios != null) {
			return median(ratios);
		}
		List<Double> farine = this.values.get(new Key(m.scenario(), "farine", m.metric(), m.x()));
		return (farine == null || m.median() == 0) ? null : median(farine) / m.median();
	}

	/** farine's figure over this one's in each round, sorted; {@code null} unless both have a value every round. */
	private @Nullable List<Double> perRound(Measurement m) {
		List<Double> farine = this.values.get(new Key(m.scenario(), "farine", m.metric(), m.x()));
		List<Double> other = this.values.get(new Key(m.scenario(), m.subject(), m.metric(), m.x()));
		if (farine == null || other == null || farine.size() != other.size()) {
			return null;
		}
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < farine.size(); i++) {
			if (other.get(i) != 0) {
				ratios.add(farine.get(i) / other.get(i));
			}
		}
		return ratios.isEmpty() ? null : ratios.stream().sorted().toList();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return (sorted.size() % 2 == 1) ? sorted.get(sorted.size() / 2)
				: (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/**
	 * One figure: a metric of a subject in a scenario over its rounds.
	 *
	 * @param scenario the scenario
	 * @param subject {@code farine}, {@code spring-amqp}, {@code raw-client} or {@code plain-boot}, possibly
	 * with a variant in parentheses
	 * @param metric the metric
	 * @param x the point of a curve, or {@code null} for a scenario of one point
	 * @param median the median over rounds
	 * @param min the lowest round
	 * @param max the highest round
	 * @param rounds how many rounds
	 */
	record Measurement(String scenario, String subject, String metric, Integer x, double median, double min, double max,
			int rounds) {
	}

	private record Key(String scenario, String subject, String metric, Integer x) {
	}

}
