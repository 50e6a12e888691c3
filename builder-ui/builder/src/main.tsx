import "@xyflow/react/dist/style.css";
import "./styles.css";
import { createRoot } from "react-dom/client";
import { ApiClient } from "./api/client";
import { App } from "./App";
import { setupI18n } from "./i18n";

setupI18n();
const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
createRoot(root).render(<App api={new ApiClient()} />);
