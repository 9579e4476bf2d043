//! The SVG plot of a workload: the median of each contender against the
//! point's abscissa (capacity, balls), one line per contender, ours thicker.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;

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

/// Draws `workload`'s medians from `records` into the SVG file `path`.
pub fn draw(
    path: &Path,
    workload: &Workload,
    plot: Plot,
    records: &[Record],
    subtitle: &str,
) -> Result<(), Box<dyn Error>> {
    let lines: Vec<Line> = workload
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
        .collect();
    let all = lines.iter().flat_map(|line| line.points.iter());
    let (x_min, x_max, y_max) = all.fold((f64::MAX, f64::MIN, 0.0f64), |(a, b, c), &(x, y)| {
        (a.min(x), b.max(x), c.max(y))
    });
    if lines.is_empty() {
        return Ok(());
    }
    let x_range = (x_min / 1.5)..(x_max * 1.5);
    let y_range = 0.0..(y_max * 1.1).max(f64::MIN_POSITIVE);

    let root = SVGBackend::new(path, (960, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let title = format!(
        "{}: {} ({})",
        workload.name,
        workload.metric.unit(),
        subtitle
    );
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60);
    // The two scales are different types: one drawing function for both.
    if plot.log_x {
        let mut chart = builder.build_cartesian_2d(x_range.log_scale(), y_range)?;
        chart
            .configure_mesh()
            .x_desc(plot.x_label)
            .x_label_formatter(&|x| format!("{x}"))
            .y_desc(workload.metric.unit())
            .draw()?;
        draw_lines(&mut chart, &lines)?;
    } else {
        let mut chart = builder.build_cartesian_2d(x_range, y_range)?;
        chart
            .configure_mesh()
            .x_desc(plot.x_label)
            .x_label_formatter(&|x| format!("{x}"))
            .y_desc(workload.metric.unit())
            .draw()?;
        draw_lines(&mut chart, &lines)?;
    }
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
