package io.farine.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draws the curves of a {@code results.json} as PNG charts, one per curve, one panel per metric,
 * a line per subject (medians over the rounds), the work on a logarithmic axis. Run by
 * {@code scripts/bench.sh --curves}; {@code main} redraws them from a file:
 * {@code Charts <results.json> <directory>}.
 */
final class Charts {

	/** A curve: its scenario, the label of its x axis, and the metrics drawn, one panel each. */
	private record Curve(String scenario, String axis, List<String> metrics) {
	}

	private static final List<Curve> CURVES = List.of(
			new Curve(Curves.RPC_IN_FLIGHT, "RPC calls in flight",
					List.of("calls_per_s", "p50_us", "p99_us", "alloc_kb_per_call")),
			new Curve(Curves.BODY_SIZE, "message body (bytes)", List.of("msg_per_s", "mb_per_s")),
			new Curve(Curves.CONSUMERS, "consumers on the queue", List.of("msg_per_s")),
			new Curve(ServicesStartup.SCENARIO, "services in the process", List.of("ready_ms", "rss_mb")),
			new Curve(Curves.DB_BATCH_SIZE, "db_batch_size (messages per transaction)", List.of("msg_per_s", "p99_ms")));

	private static final Color[] COLORS = { new Color(0xC0392B), new Color(0x2471A3), new Color(0x229954) };

	private Charts() {
	}

	public static void main(String[] args) throws IOException {
		draw(Path.of(args[0]), Path.of(args[1]));
	}

	/** Draws every curve {@code results} holds into {@code directory}; returns the files written. */
	static List<Path> draw(Path results, Path directory) throws IOException {
		System.setProperty("java.awt.headless", "true");
		JsonNode all = new JsonMapper().readTree(results.toFile());
		Files.createDirectories(directory);
		List<Path> written = new ArrayList<>();
		for (Curve curve : CURVES) {
			CombinedDomainXYPlot plot = new CombinedDomainXYPlot(logAxis(curve.axis()));
			plot.setGap(12);
			for (String metric : curve.metrics()) {
				XYSeriesCollection lines = lines(all, curve.scenario(), metric);
				if (lines.getSeriesCount() > 0) {
					plot.add(panel(lines, metric));
				}
			}
			if (plot.getSubplots().isEmpty()) {
				continue;
			}
			plot.setFixedLegendItems(((XYPlot) plot.getSubplots().get(0)).getLegendItems());
			JFreeChart chart = new JFreeChart(curve.scenario(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
			chart.setBackgroundPaint(Color.WHITE);
			Path file = directory.resolve(curve.scenario() + ".png");
			ChartUtils.saveChartAsPNG(file.toFile(), chart, 720, 220 + 180 * plot.getSubplots().size());
			written.add(file);
		}
		return written;
	}

	private static XYSeriesCollection lines(JsonNode all, String scenario, String metric) {
		Map<String, XYSeries> bySubject = new LinkedHashMap<>();
		for (JsonNode figure : all) {
			if (figure.path("scenario").asString().equals(scenario) && figure.path("metric").asString().equals(metric)
					&& figure.has("x")) {
				String subject = figure.path("subject").asString();
				bySubject.computeIfAbsent(subject, XYSeries::new)
					.add(figure.path("x").asDouble(), figure.path("median").asDouble());
			}
		}
		XYSeriesCollection lines = new XYSeriesCollection();
		bySubject.values().forEach(lines::addSeries);
		return lines;
	}

	private static XYPlot panel(XYSeriesCollection lines, String metric) {
		NumberAxis values = new NumberAxis(metric);
		values.setAutoRangeIncludesZero(true);
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
		for (int i = 0; i < lines.getSeriesCount(); i++) {
			renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
			renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
			renderer.setSeriesStroke(i, new BasicStroke(2f));
		}
		XYPlot panel = new XYPlot(lines, null, values, renderer);
		panel.setBackgroundPaint(Color.WHITE);
		panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
		panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
		return panel;
	}

	private static LogAxis logAxis(String label) {
		LogAxis axis = new LogAxis(label);
		axis.setBase(2);
		axis.setSmallestValue(1);
		axis.setTickUnit(new NumberTickUnit(2));
		axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
		return axis;
	}

}
