/**
 * ComfyUI workflows (API format) on the engine: a graph of nodes parsed from JSON, checked as a whole
 * before anything runs ({@link io.stipple.engine.workflow.GraphValidator}), then run in dependency
 * order with each node's outputs kept for the nodes that link to them
 * ({@link io.stipple.engine.workflow.WorkflowExecutor}). The package knows no transport and no file
 * layout: files are found through {@link io.stipple.engine.workflow.WorkflowResources}, and what
 * output nodes produce goes to a {@link io.stipple.engine.workflow.WorkflowListener}.
 */
package io.stipple.engine.workflow;
