//! The SVG plot of a workload: the median of each contender against the
//! point's abscissa (capacity, balls), one line per contender, ours thicker;
//! or, for workloads with few points, one group of bars per point, one bar
//! per contender, ours outlined.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::summary;
use crate::run::Record;
use crate::workload::{Plot, Workload};

/// One contender's medians.
struct Line {
    /// By the contender's place in the list, so that a contender keeps its
    /// colour from one plot to the next.
    color: RGBColor,
    name: &'static str,
    ours: bool,
    points: Vec<(f64, f64)>,
}

/// Draws `workload`'s medians from `records` into the SVG file `path`, as
/// `plot` says.
pub fn draw(
    path: &Path,
    workload: &Workload,
    plot: Plot,
    records: &[Record],
    subtitle: &str,
) -> Result<(), Box<dyn Error>> {
    let lines = medians(workload, records);
    if lines.is_empty() {
        return Ok(());
    }
    let title = format!(
        "{}: {} ({})",
        workload.name,
        workload.metric.unit(),
        subtitle
    );
    match plot {
        Plot::Lines { x_label, log_x } => {
            draw_lines_plot(path, workload, &lines, &title, x_label, log_x)
        }
        Plot::Bars => draw_bars_plot(path, workload, &lines, &title),
    }
}

/// Each contender's medians, with its colour (contenders with none left
/// out).
fn medians(workload: &Workload, records: &[Record]) -> Vec<Line> {
    workload
        .runners
        .iter()
        .enumerate()
        .map(|(i, runner)| Line {
            color: PALETTE[i % PALETTE.len()],
            name: runner.name,
            ours: runner.ours,
            points: workload
                .points
                .iter()
                .filter_map(|p| summary(records, &p.label, runner.name).map(|s| (p.x, s.median)))
                .collect(),
        })
        .filter(|line| !line.points.is_empty())
        .collect()
}

/// The line plot: medians against the abscissa.
fn draw_lines_plot(
    path: &Path,
    workload: &Workload,
    lines: &[Line],
    title: &str,
    x_label: &str,
    log_x: bool,
) -> Result<(), Box<dyn Error>> {
    let all = lines.iter().flat_map(|line| line.points.iter());
    let (x_min, x_max, y_max) = all.fold((f64::MAX, f64::MIN, 0.0f64), |(a, b, c), &(x, y)| {
        (a.min(x), b.max(x), c.max(y))
    });
    let x_range = (x_min / 1.5)..(x_max * 1.5);
    let y_range = 0.0..(y_max * 1.1).max(f64::MIN_POSITIVE);

    let root = SVGBackend::new(path, (960, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60);
    // The two scales are different types: one drawing function for both.
    if log_x {
        let mut chart = builder.build_cartesian_2d(x_range.log_scale(), y_range)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .x_label_formatter(&|x| format!("{x}"))
            .y_desc(workload.metric.unit())
            .draw()?;
        draw_lines(&mut chart, lines)?;
    } else {
        let mut chart = builder.build_cartesian_2d(x_range, y_range)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .x_label_formatter(&|x| format!("{x}"))
            .y_desc(workload.metric.unit())
            .draw()?;
        draw_lines(&mut chart, lines)?;
    }
    root.present()?;
    Ok(())
}

/// The bar plot: a group per point (in the workload's order), a bar per
/// contender, its median written above it.
///
/// The abscissa counts half bars: each group is a gap of one bar then its
/// bars, and the point's label stands under the group's middle.
fn draw_bars_plot(
    path: &Path,
    workload: &Workload,
    lines: &[Line],
    title: &str,
) -> Result<(), Box<dyn Error>> {
    let labels: Vec<(f64, &str)> = workload
        .points
        .iter()
        .map(|p| (p.x, p.label.as_str()))
        .filter(|(x, _)| lines.iter().any(|l| l.points.iter().any(|q| q.0 == *x)))
        .collect();
    let bars = lines.len() as i32;
    let stride = 2 * (bars + 1);
    let width = labels.len() as i32 * stride + 2;
    // Where bar `i` of group `g` starts, and where the group's middle is.
    let start = move |g: i32, i: i32| g * stride + 2 + 2 * i;
    let middle = move |g: i32| g * stride + 2 + bars;
    let y_max = lines
        .iter()
        .flat_map(|line| line.points.iter())
        .fold(0.0f64, |m, &(_, y)| m.max(y));
    // Room above the tallest bar for its figure and the legend.
    let y_range = 0.0..(y_max * 1.35).max(f64::MIN_POSITIVE);

    let root = SVGBackend::new(path, (960, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(0..width, y_range)?;
    let label_of = |x: &i32| {
        (0..labels.len() as i32)
            .find(|&g| middle(g) == *x)
            .map_or_else(String::new, |g| labels[g as usize].1.to_string())
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        // A label, and no tick, at every half bar: only the middles have text.
        .x_labels(width as usize + 1)
        .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
        .x_label_formatter(&label_of)
        .y_desc(workload.metric.unit())
        .draw()?;
    let value_style = TextStyle::from(("sans-serif", 12).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    for (i, line) in lines.iter().enumerate() {
        let color = line.color;
        let bars_of_line: Vec<(i32, f64)> = labels
            .iter()
            .enumerate()
            .filter_map(|(g, (x, _))| {
                let y = line.points.iter().find(|q| q.0 == *x)?.1;
                Some((start(g as i32, i as i32), y))
            })
            .collect();
        chart
            .draw_series(bars_of_line.iter().map(|&(slot, y)| {
                Rectangle::new([(slot, 0.0), (slot + 2, y)], color.mix(0.85).filled())
            }))?
            .label(line.name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled()));
        if line.ours {
            chart.draw_series(bars_of_line.iter().map(|&(slot, y)| {
                Rectangle::new([(slot, 0.0), (slot + 2, y)], BLACK.stroke_width(2))
            }))?;
        }
        chart.draw_series(
            bars_of_line
                .iter()
                .map(|&(slot, y)| Text::new(format!("{y:.2}"), (slot, y), value_style.clone())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// Line colours that stay apart on white (Tableau 10).
const PALETTE: [RGBColor; 10] = [
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The lines, their markers and the legend.
fn draw_lines<'a, X>(
    chart: &mut ChartContext<
        'a,
        SVGBackend<'a>,
        Cartesian2d<X, plotters::coord::types::RangedCoordf64>,
    >,
    lines: &[Line],
) -> Result<(), Box<dyn Error>>
where
    X: Ranged<ValueType = f64>,
{
    for line in lines {
        let color = line.color;
        let width = if line.ours { 3 } else { 1 };
        chart
            .draw_series(LineSeries::new(
                line.points.iter().copied(),
                color.stroke_width(width),
            ))?
            .label(line.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width))
            });
        chart.draw_series(
            line.points
                .iter()
                .map(|&p| Circle::new(p, 3, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
