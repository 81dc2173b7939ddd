// The domain explorer (seed 000): the live domain catalog the knowledge agent serves —
// entities and their relationships, workflows as step diagrams, business rules, edge cases
// with their tests — the knowledge query and the test-data generator.
import { EdgeCases } from "./edge_cases.js";
import { EntityPage, Overview } from "./entities.js";
import { Generator } from "./generator.js";
import { Query } from "./query.js";
import { Rules } from "./rules.js";
import { WorkflowPage, Workflows } from "./workflows.js";

export default {
  pages: [
    { path: "/explorer", title: "Domain explorer", view: Overview, area: "explorer" },
    { path: "/explorer/entities/:name", title: "Entity", view: EntityPage, area: "explorer" },
    { path: "/explorer/workflows", title: "Workflows", view: Workflows, area: "explorer" },
    { path: "/explorer/workflows/:name", title: "Workflow", view: WorkflowPage, area: "explorer" },
    { path: "/explorer/rules", title: "Business rules", view: Rules, area: "explorer" },
    { path: "/explorer/edge-cases", title: "Edge cases", view: EdgeCases, area: "explorer" },
    { path: "/explorer/query", title: "Ask the catalog", view: Query, area: "explorer" },
    { path: "/explorer/generate", title: "Test data", view: Generator, area: "explorer" },
  ],
  nav: [
    { area: "explorer", label: "Entities", to: "/explorer", order: 0 },
    { area: "explorer", label: "Workflows", to: "/explorer/workflows", order: 10 },
    { area: "explorer", label: "Business rules", to: "/explorer/rules", order: 20 },
    { area: "explorer", label: "Edge cases", to: "/explorer/edge-cases", order: 30 },
    { area: "explorer", label: "Ask", to: "/explorer/query", order: 40 },
    { area: "explorer", label: "Test data", to: "/explorer/generate", order: 50 },
  ],
};
