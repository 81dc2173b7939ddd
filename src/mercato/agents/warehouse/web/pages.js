// The warehouse's pages in the console (admins): pick & pack (confirmed orders → a batch
// pick list in walk order → picked → packed in the chosen boxes), bins and zones, the
// tasks, and cycle counts. Fetched when one of their pages is first shown.
const pickpack = () => import("./pickpack.js");
const layout = () => import("./layout.js");
const tasks = () => import("./tasks.js");
const counts = () => import("./counts.js");

export default {
  pages: [
    { path: "/admin/warehouse", title: "Pick & pack", load: () => pickpack().then((m) => m.PickPack), area: "admin" },
    { path: "/admin/warehouse/bins", title: "Bins and zones", load: () => layout().then((m) => m.Layout), area: "admin" },
    { path: "/admin/warehouse/tasks", title: "Warehouse tasks", load: () => tasks().then((m) => m.Tasks), area: "admin" },
    { path: "/admin/warehouse/counts", title: "Cycle counts", load: () => counts().then((m) => m.Counts), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Warehouse", to: "/admin/warehouse", order: 32, roles: ["admin"] }],
};
