// The domain explorer (seed 000): the live domain catalog the knowledge agent serves —
// entities and their relationships, workflows as step diagrams, business rules, edge cases
// with their tests, seed 001's properties with theirs — the knowledge query and the test-data generator.
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const edgeCases = () => import("./edge_cases.js");
const entities = () => import("./entities.js");
const generator = () => import("./generator.js");
const properties = () => import("./properties.js");
const query = () => import("./query.js");
const rules = () => import("./rules.js");
const workflows = () => import("./workflows.js");

export default {
  pages: [
    { path: "/explorer", title: "Domain explorer", load: () => entities().then((m) => m.Overview), area: "explorer" },
    { path: "/explorer/entities/:name", title: "Entity", load: () => entities().then((m) => m.EntityPage), area: "explorer" },
    { path: "/explorer/workflows", title: "Workflows", load: () => workflows().then((m) => m.Workflows), area: "explorer" },
    { path: "/explorer/workflows/:name", title: "Workflow", load: () => workflows().then((m) => m.WorkflowPage), area: "explorer" },
    { path: "/explorer/rules", title: "Business rules", load: () => rules().then((m) => m.Rules), area: "explorer" },
    { path: "/explorer/edge-cases", title: "Edge cases", load: () => edgeCases().then((m) => m.EdgeCases), area: "explorer" },
    { path: "/explorer/properties", title: "Seed 001 properties", load: () => properties().then((m) => m.Properties), area: "explorer" },
    { path: "/explorer/query", title: "Ask the catalog", load: () => query().then((m) => m.Query), area: "explorer" },
    { path: "/explorer/generate", title: "Test data", load: () => generator().then((m) => m.Generator), area: "explorer" },
  ],
  nav: [
    { area: "explorer", label: "Entities", to: "/explorer", order: 0 },
    { area: "explorer", label: "Workflows", to: "/explorer/workflows", order: 10 },
    { area: "explorer", label: "Business rules", to: "/explorer/rules", order: 20 },
    { area: "explorer", label: "Edge cases", to: "/explorer/edge-cases", order: 30 },
    { area: "explorer", label: "Properties", to: "/explorer/properties", order: 35 },
    { area: "explorer", label: "Ask", to: "/explorer/query", order: 40 },
    { area: "explorer", label: "Test data", to: "/explorer/generate", order: 50 },
  ],
};
