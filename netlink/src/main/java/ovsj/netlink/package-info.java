/** ovsj netlink module. */
package ovsj.netlink;
