/**
 * Action execution, the twin of Linux 6.1 {@code net/openvswitch/actions.c}: {@link
 * ovsj.datapath.actions.ActionExecutor} runs stored action lists on packets and calls back into the datapath
 * through {@link ovsj.datapath.actions.ActionContext}.
 */
package ovsj.datapath.actions;
