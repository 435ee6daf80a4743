export const messages = {
  badCredentials: "Tên đăng nhập hoặc mật khẩu không đúng.",
  loggedOut: "Bạn đã đăng xuất.",
  welcome: (name: string) => `Xin chào ${name}.`,
} as const;
