// BPMN diagram interchange (BPMNDI) for the export: a shape with bounds for every element (a
// subprocess expanded, around its inside) and an edge with waypoints for every flow, so a modeler
// opens the file as it was drawn. Where things go is layout-out.ts's decision.
import type { BpmnModdle, ModdleElement } from "bpmn-moddle";
import type { Ids } from "./export-events.ts";
import type { DrawnLevel, Geometry } from "./layout-out.ts";

export function diagramOf(
	moddle: BpmnModdle,
	ids: Ids,
	process: ModdleElement,
	top: DrawnLevel,
	geometry: Geometry,
): ModdleElement {
	const planeElement: ModdleElement[] = [];
	const visit = (level: DrawnLevel) => {
		for (const d of level.elements) {
			const box = geometry.shapes.get(d.el);
			if (!box) continue;
			const attrs: Record<string, unknown> = {
				id: ids.claim(`${d.el.id}_di`),
				bpmnElement: d.el,
				bounds: moddle.create("dc:Bounds", {
					x: Math.round(box.x),
					y: Math.round(box.y),
					width: Math.round(box.width),
					height: Math.round(box.height),
				}),
			};
			if (d.inner) attrs.isExpanded = true;
			if (d.el.$type === "bpmn:ExclusiveGateway") attrs.isMarkerVisible = true;
			planeElement.push(moddle.create("bpmndi:BPMNShape", attrs));
			if (d.inner) visit(d.inner);
		}
		for (const flow of level.flows) {
			const points = geometry.edges.get(flow.el) ?? [];
			planeElement.push(
				moddle.create("bpmndi:BPMNEdge", {
					id: ids.claim(`${flow.el.id}_di`),
					bpmnElement: flow.el,
					waypoint: points.map((p) =>
						moddle.create("dc:Point", { x: Math.round(p.x), y: Math.round(p.y) }),
					),
				}),
			);
		}
	};
	visit(top);
	const plane = moddle.create("bpmndi:BPMNPlane", {
		id: ids.claim(`${process.id}_plane`),
		bpmnElement: process,
		planeElement,
	});
	return moddle.create("bpmndi:BPMNDiagram", { id: ids.claim(`${process.id}_diagram`), plane });
}
