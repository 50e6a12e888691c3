import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { memo, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { blockTitle } from "../api/types";
import { TARGET_HANDLE, type BlockNode } from "./graph";

export const BlockNodeView = memo(function BlockNodeView({ id, data, selected }: NodeProps<BlockNode>) {
  const { t, i18n } = useTranslation();
  const updateNodeInternals = useUpdateNodeInternals();
  const portsKey = `${data.ports.join("\n")}|${data.strayPorts.join("\n")}`;
  // Handles come and go with the settings (a button added): React Flow must measure again.
  useEffect(() => updateNodeInternals(id), [id, portsKey, updateNodeInternals]);

  const classes = [
    "block-node",
    `block-node--${data.blockType.replace(/[^a-z0-9_-]/gi, "")}`,
    selected ? "is-selected" : "",
    data.waiting ? "is-waiting" : "",
    data.visited ? "is-visited" : "",
    data.diff ? `diff-${data.diff}` : "",
    data.isStart ? "is-start" : "",
    data.issue ? `has-${data.issue}` : "",
    data.known ? "" : "is-unknown",
  ].filter(Boolean);

  return (
    <div
      className={classes.join(" ")}
      data-testid={`node-${id}`}
      data-block-type={data.blockType}
      data-waiting={data.waiting ? "true" : undefined}
      data-visited={data.visited ? "true" : undefined}
      data-diff={data.diff ?? undefined}
    >
      <Handle type="target" position={Position.Left} id={TARGET_HANDLE} className="handle-in" data-testid={`handle-${id}-in`} />
      <div className="block-node__head">
        <span className="block-node__type" title={data.known ? data.blockType : t("editor.node.unknownType")}>
          {blockTitle({ name: data.blockType, titles: data.titles }, i18n.language)}
        </span>
        {data.isStart && <span className="badge badge-start">{t("editor.node.start")}</span>}
        {data.diff && <span className={`badge badge-diff badge-diff--${data.diff}`}>{t(`editor.node.${data.diff}`)}</span>}
        {data.issue && <span className={`issue-dot issue-dot--${data.issue}`} aria-hidden="true" />}
      </div>
      <div className="block-node__title">{data.name ?? id}</div>
      {data.name && <div className="block-node__id">{id}</div>}
      <div className="block-node__summary" title={data.summary}>
        {data.summary || "—"}
      </div>
      {(data.ports.length > 0 || data.strayPorts.length > 0) && (
        <ul className="block-node__ports">
          {data.ports.map((port) => (
            <li key={port} className="port">
              <span className="port__name">{port}</span>
              <Handle type="source" position={Position.Right} id={port} className="handle-out" data-testid={`handle-${id}-${port}`} />
            </li>
          ))}
          {data.strayPorts.map((port) => (
            <li key={`stray-${port}`} className="port port--stray" title={t("editor.node.brokenPort")}>
              <span className="port__name">{port}</span>
              <Handle type="source" position={Position.Right} id={port} className="handle-out" isConnectable={false} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
